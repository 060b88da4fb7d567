import { HEAT_LOSS_CSV_COLUMNS, type HeatLoss, type HeatLossCollection } from '../../../schemas/heat-loss.js'
import type { Measurement } from '../../../schemas/line-loss.js'
import { csvTable } from '../csv.js'
import { padPolygon } from '../exports.js'
import { regionGeometry } from '../line-loss-geojson.js'

/** One row per region, with its pad's diameter and emissivity. */
export function heatLossCsv(result: HeatLoss): string {
  return csvTable(
    HEAT_LOSS_CSV_COLUMNS,
    result.pads.flatMap((pad) =>
      pad.regions.map((r) => [
        pad.pad_id,
        r.region_id,
        r.length_m,
        r.mean_temp_c,
        pad.inputs.pipe_diameter_m.value,
        pad.inputs.emissivity.value,
        r.heat_loss_w_per_m,
        r.heat_loss_w,
        r.heat_loss_w_range?.[0],
        r.heat_loss_w_range?.[1],
        r.excess_heat_loss_w,
        r.excess_heat_loss_w_range?.[0],
        r.excess_heat_loss_w_range?.[1],
        r.note ?? pad.reason
      ])
    )
  )
}

/**
 * The regions on the map with their figures. `measurements` are the items the
 * estimate was made from, by pad: the geometry is theirs, region by region.
 */
export function heatLossGeoJson(result: HeatLoss, measurements: ReadonlyMap<string, Measurement>): HeatLossCollection {
  return {
    type: 'FeatureCollection',
    features: result.pads.flatMap((pad) => {
      const stored = (measurements.get(pad.pad_id)?.region_measurements ?? []).filter((r) => r !== null && typeof r === 'object')
      return pad.regions.flatMap((region, i) => {
        const found = stored[i] ? regionGeometry(stored[i]) : undefined
        // RFC 7946 wants exterior rings counter-clockwise; PipeMeasure writes them either way.
        const geometry = found?.type === 'Polygon' ? (padPolygon(found.coordinates[0]!) ?? found) : found
        if (!geometry) return []
        const properties = {
          pad_id: pad.pad_id,
          ...region,
          note: region.note ?? pad.reason,
          pipe_diameter_m: pad.inputs.pipe_diameter_m.value,
          emissivity: pad.inputs.emissivity.value
        }
        return [{ type: 'Feature' as const, geometry, properties }]
      })
    })
  }
}
