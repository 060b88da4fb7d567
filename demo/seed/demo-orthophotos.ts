import type { MosaicType } from '../../schemas/common.js'
import type { ImageRecord } from '../../src/domain/records.js'
import type { DemoBuilderStep } from './dataset-builder.js'
import { demoOrthophotos, type HotSpot, type OrthophotoSpec } from './orthophoto.js'
import { lonLatRing } from './records.js'

/** An orthophoto the demo dataset needs: where it goes and what it shows. */
export interface OrthophotoRequest {
  key: string
  padId: string
  type: MosaicType
  polygon: ReadonlyArray<readonly [number, number]>
}

/** The PRD's pad is a COG (`--cog`); every other pad has ODM's default layout. */
export const COG_PADS: ReadonlySet<string> = new Set(['leyte_tongonan_PAD_105'])

/** The pad's three hottest frames, over all its periods: the thermal mosaics show hot spots there. */
function hotSpots(padId: string, images: readonly ImageRecord[]): HotSpot[] {
  return images
    .flatMap((i) => {
      const gps = i.optical_metadata?.gps_location
      const temp = i.thermal_metadata?.temperature_max
      if (i.pad_id !== padId || gps?.longitude === undefined || gps.latitude === undefined || temp === undefined) return []
      return [{ lon: gps.longitude, lat: gps.latitude, temp }]
    })
    .sort((a, b) => b.temp - a.temp || a.lon - b.lon)
    .slice(0, 3)
}

/**
 * The GeoTIFF bytes of every requested orthophoto. A pad looks the same in every
 * period, so each (pad, type) is rendered once and shared by its periods' keys.
 */
export function buildDemoOrthophotos(requests: readonly OrthophotoRequest[], images: readonly ImageRecord[]): Map<string, Uint8Array> {
  const byPad = new Map<string, OrthophotoRequest[]>()
  for (const r of requests) byPad.set(r.padId, [...(byPad.get(r.padId) ?? []), r])
  const out = new Map<string, Uint8Array>()
  for (const [padId, list] of byPad) {
    const types = [...new Set(list.map((r) => r.type))]
    const layout: OrthophotoSpec['layout'] = COG_PADS.has(padId) ? 'cog' : 'odm'
    const files = demoOrthophotos({ padId, polygon: list[0]!.polygon, hotSpots: hotSpots(padId, images) }, layout, types)
    for (const r of list) out.set(r.key, files.get(r.type)!)
  }
  return out
}

const ORTHOPHOTO_KEY = /^mosaics\/[^/]+\/[^/]+\/[^/]+\/([^/]+)\/(optical|medical|hotspot_alert)\/viewer\/odm_orthophoto\.tif$/

/**
 * The last step of the demo dataset: every orthophoto the surveys wrote becomes
 * a realistic one, drawn over its pad's polygon, with hot spots at the pad's
 * hottest frames (known only once every survey has written its images).
 */
export const demoOrthophotoStep: DemoBuilderStep = (b) => {
  const polygons = new Map(b.pads.map((p) => [p.pad_id, p.geo_location_area && lonLatRing(p.geo_location_area, p.pad_id)]))
  const requests: OrthophotoRequest[] = []
  for (const o of b.dataset().objects) {
    const m = ORTHOPHOTO_KEY.exec(o.key)
    const polygon = m ? polygons.get(m[1]) : undefined
    if (m && polygon) requests.push({ key: o.key, padId: m[1]!, type: m[2] as MosaicType, polygon })
  }
  for (const [key, body] of buildDemoOrthophotos(requests, b.images)) b.addObject(key, body, 'image/tiff')
}
