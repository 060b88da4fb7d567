import type { Measurement, RegionCollection, RegionFeature, RegionMeasurement } from '../../schemas/line-loss.js'
import { isFiniteNumber, numberOrNull } from './records.js'

type LonLat = number[]

function position(value: unknown): LonLat | undefined {
  if (!Array.isArray(value) || value.length < 2) return undefined
  const p = value.slice(0, 2).map(Number)
  return p.every(Number.isFinite) ? p : undefined
}

/** A ring of at least four positions, closed if its writer left it open. */
function ring(value: unknown): LonLat[] | undefined {
  if (!Array.isArray(value)) return undefined
  const points = value.map(position)
  if (points.some((p) => p === undefined)) return undefined
  const ring = points as LonLat[]
  const [first, last] = [ring[0], ring[ring.length - 1]]
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) ring.push([...first])
  return ring.length >= 4 ? ring : undefined
}

/** A region's Polygon, else a Point at its centroid; undefined when it has neither. */
export function regionGeometry(region: RegionMeasurement): RegionFeature['geometry'] | undefined {
  const polygon = ring(region.polygon)
  const centroid = position(region.centroid)
  return polygon ? { type: 'Polygon', coordinates: [polygon] } : centroid ? { type: 'Point', coordinates: centroid } : undefined
}

function regionFeature(region: RegionMeasurement): RegionFeature | undefined {
  const geometry = regionGeometry(region)
  if (!geometry) return undefined
  const id = region.region_id
  return {
    type: 'Feature',
    geometry,
    properties: {
      region_id: typeof id === 'string' || isFiniteNumber(id) ? id : null,
      length_m: numberOrNull(region.length_m),
      area_m2: numberOrNull(region.area_m2),
      max_temp_c: numberOrNull(region.max_temp_c),
      mean_temp_c: numberOrNull(region.mean_temp_c)
    }
  }
}

/** The regions of a measurement for the map: Polygons, or Points at the centroid; a region with neither is left out. */
export function regionCollection(m: Measurement): RegionCollection {
  const regions = Array.isArray(m.region_measurements) ? m.region_measurements : []
  const features = regions.flatMap((r) => {
    const f = r !== null && typeof r === 'object' ? regionFeature(r) : undefined
    return f ? [f] : []
  })
  return { type: 'FeatureCollection', features }
}
