import { MOSAIC_TYPES, type MosaicType } from '../../schemas/common.js'
import { ORTHOPHOTO, SHOTS } from './keys.js'

/** hotspot_alert feeds the PipeMeasure workflow, not the viewer, so it is not required. */
const REQUIRED_MOSAICS: readonly MosaicType[] = ['optical', 'medical']

/** Which viewer files a pad has in a period, by mosaic type. */
export interface PadMosaics {
  orthophotos: ReadonlySet<MosaicType>
  shots: ReadonlySet<MosaicType>
}

/**
 * The viewer files of every pad, given every key under `mosaics/{site}/{sector}/{period}/`:
 * `{pad_id}/{type}/viewer/odm_orthophoto.tif` and `…/shots.geojson`. One listing
 * replaces four HeadObject calls per pad.
 */
export function padMosaics(periodPrefix: string, keys: Iterable<string>): Map<string, PadMosaics> {
  const out = new Map<string, { orthophotos: Set<MosaicType>; shots: Set<MosaicType> }>()
  for (const key of keys) {
    if (!key.startsWith(periodPrefix)) continue
    const [padId, type, viewer, file, ...rest] = key.slice(periodPrefix.length).split('/')
    if (!padId || viewer !== 'viewer' || rest.length > 0 || !MOSAIC_TYPES.includes(type as MosaicType)) continue
    if (file !== ORTHOPHOTO && file !== SHOTS) continue
    let pad = out.get(padId)
    if (!pad) out.set(padId, (pad = { orthophotos: new Set(), shots: new Set() }))
    ;(file === ORTHOPHOTO ? pad.orthophotos : pad.shots).add(type as MosaicType)
  }
  return out
}

/** Which pads are complete: the optical and medical mosaics each have their orthophoto and shots. */
export function completeOf(mosaics: ReadonlyMap<string, PadMosaics>): Set<string> {
  const complete = new Set<string>()
  for (const [padId, m] of mosaics) {
    if (REQUIRED_MOSAICS.every((type) => m.orthophotos.has(type) && m.shots.has(type))) complete.add(padId)
  }
  return complete
}

/** Which pads are complete, given every key under `mosaics/{site}/{sector}/{period}/`. */
export function completePads(periodPrefix: string, keys: Iterable<string>): Set<string> {
  return completeOf(padMosaics(periodPrefix, keys))
}
