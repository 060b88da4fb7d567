import type { MosaicType } from '../../schemas/common.js'
import { ORTHOPHOTO, SHOTS } from './keys.js'

/** hotspot_alert feeds the PipeMeasure workflow, not the viewer, so it is not required. */
const REQUIRED_MOSAICS: readonly MosaicType[] = ['optical', 'medical']
const REQUIRED_FILES: readonly string[] = [ORTHOPHOTO, SHOTS]

/**
 * Which pads are complete, given every key under `mosaics/{site}/{sector}/{period}/`.
 * One listing replaces four HeadObject calls per pad.
 */
export function completePads(periodPrefix: string, keys: Iterable<string>): Set<string> {
  const present = new Set<string>()
  for (const key of keys) {
    if (key.startsWith(periodPrefix)) present.add(key.slice(periodPrefix.length))
  }
  const complete = new Set<string>()
  const padIds = new Set<string>()
  for (const rest of present) {
    const slash = rest.indexOf('/')
    if (slash > 0) padIds.add(rest.slice(0, slash))
  }
  for (const padId of padIds) {
    const ok = REQUIRED_MOSAICS.every((type) => REQUIRED_FILES.every((file) => present.has(`${padId}/${type}/viewer/${file}`)))
    if (ok) complete.add(padId)
  }
  return complete
}
