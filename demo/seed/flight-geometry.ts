import { metresPerDegree, nadirRotationVector, offsetLonLat, round, toUtm } from './geo.js'

/**
 * The geometry both datasets share: lawnmower flights of a DJI M2EA over a pad,
 * and the ODM-style shots.geojson features they produce (UTM translations and
 * nadir angle-axis rotations).
 */

export type LonLat = [number, number]
export type LonLatAlt = [number, number, number]

/** Flight height above the pad (m). */
export const AGL = 45
export const SHOT_INTERVAL_S = 2
export const LEG_TURN_S = 7
/** Time between the last shot over one pad and the first over the next. */
export const TRANSIT_S = 300

export const pad4 = (n: number) => String(n).padStart(4, '0')

/** Seconds from the first to the last shot of a flight, turns included. */
export const flightSeconds = (shots: number, legs: number) => shots * SHOT_INTERVAL_S + legs * LEG_TURN_S

export const captureTime = (takeOff: number, shot: number, leg: number) => takeOff + shot * SHOT_INTERVAL_S + leg * LEG_TURN_S

/** ≈ N(0, 0.4) from three uniform draws: cheap and deterministic. */
export function gaussianOf(rnd: () => number): () => number {
  return () => (rnd() + rnd() + rnd() - 1.5) * 0.8
}

export interface Waypoint {
  leg: number
  forward: boolean
  /** Metres from the pad centre along its long axis, and across it. */
  along: number
  across: number
}

/** Shot `j` of a boustrophedon flight: legs run along the pad axis, stepping across it. */
export function lawnmower(j: number, legs: number, perLeg: number, halfLength: number, halfWidth: number): Waypoint {
  const leg = Math.floor(j / perLeg)
  const k = j % perLeg
  const forward = leg % 2 === 0
  const s = perLeg === 1 ? 0 : -halfLength + (2 * halfLength * k) / (perLeg - 1)
  const across = legs === 1 ? 0 : -halfWidth + (2 * halfWidth * leg) / (legs - 1)
  return { leg, forward, along: forward ? s : -s, across }
}

const axisVectors = (axis: number) => {
  const a = (axis * Math.PI) / 180
  return { along: [Math.sin(a), Math.cos(a)] as const, across: [Math.cos(a), -Math.sin(a)] as const }
}

/** A closed ring through the corners (±1, ±1) of a rectangle, each placed `offset(s, t)` metres east and north of the centre. */
export function cornerRing(center: LonLat, offset: (s: number, t: number) => [number, number]): LonLat[] {
  const corners: LonLat[] = [
    [-1, -1],
    [1, -1],
    [1, 1],
    [-1, 1]
  ].map(([s, t]) => {
    const [east, north] = offset(s!, t!)
    const [lon, lat] = offsetLonLat(center[0], center[1], east, north)
    return [round(lon, 6), round(lat, 6)]
  })
  return [...corners, corners[0]!]
}

/** A rectangle of `length` × `width` metres centred on a point, its long axis at `axis` degrees. */
export function rectangle(center: LonLat, length: number, width: number, axis: number): LonLat[] {
  const { along, across } = axisVectors(axis)
  return cornerRing(center, (s, t) => [
    (s * length * along[0]) / 2 + (t * width * across[0]) / 2,
    (s * length * along[1]) / 2 + (t * width * across[1]) / 2
  ])
}

/** Ground distance (m) between two nearby points, with `m` the metres per degree there. */
export const groundDistance = (m: { lon: number; lat: number }, a: LonLat, b: LonLat) =>
  Math.hypot((a[0] - b[0]) * m.lon, (a[1] - b[1]) * m.lat)

export interface PadFrame {
  center: LonLat
  /** Metres per degree at the centre. */
  m: { lon: number; lat: number }
  halfLength: number
  halfWidth: number
  /** The ground point of a waypoint. */
  at(w: Waypoint): LonLat
  /** Ground distance (m) between two nearby points. */
  distance(a: LonLat, b: LonLat): number
}

/** A pad's own frame: centre of its bounding box, half length along `axis` and half width across it. */
export function padFrame(polygon: readonly LonLat[], axis: number): PadFrame {
  const lons = polygon.map((p) => p[0])
  const lats = polygon.map((p) => p[1])
  const center: LonLat = [(Math.min(...lons) + Math.max(...lons)) / 2, (Math.min(...lats) + Math.max(...lats)) / 2]
  const m = metresPerDegree(center[1])
  const { along, across } = axisVectors(axis)
  let halfLength = 0
  let halfWidth = 0
  for (const [lon, lat] of polygon) {
    const e = (lon - center[0]) * m.lon
    const n = (lat - center[1]) * m.lat
    halfLength = Math.max(halfLength, Math.abs(e * along[0] + n * along[1]))
    halfWidth = Math.max(halfWidth, Math.abs(e * across[0] + n * across[1]))
  }
  return {
    center,
    m,
    halfLength,
    halfWidth,
    at: (w) => offsetLonLat(center[0], center[1], w.along * along[0] + w.across * across[0], w.along * along[1] + w.across * across[1]),
    distance: (a, b) => groundDistance(m, a, b)
  }
}

export interface Camera {
  camera: string
  focal: number
  width: number
  height: number
}

/** The M2EA's wide camera and thermal sensor; each dataset states the focal length its ODM run found. */
export const opticalCamera = (focal: number): Camera => ({
  camera: 'v2 dji mavic2-enterprise-advanced 2048 1536 brown 0.6666',
  focal,
  width: 2048,
  height: 1536
})
export const thermalCamera = (focal: number): Camera => ({
  camera: 'v2 dji mavic2-enterprise-advanced 640 512 brown 1.1719',
  focal,
  width: 640,
  height: 512
})

export interface ShotFeature {
  type: 'Feature'
  properties: {
    filename: string
    camera: string
    focal: number
    width: number
    height: number
    capture_time: number
    translation: [number, number, number]
    rotation: [number, number, number]
  }
  geometry: { type: 'Point'; coordinates: LonLatAlt }
}

export function shotFeature(filename: string, cam: Camera, time: number, pose: LonLatAlt, rotation: [number, number, number]): ShotFeature {
  const [lon, lat, alt] = pose
  const utm = toUtm(lon, lat)
  return {
    type: 'Feature',
    properties: {
      filename,
      camera: cam.camera,
      focal: cam.focal,
      width: cam.width,
      height: cam.height,
      capture_time: time,
      translation: [utm.easting, utm.northing, alt],
      rotation
    },
    geometry: { type: 'Point', coordinates: [lon, lat, alt] }
  }
}

/** ODM's reconstructed pose differs slightly from the GPS tag. */
export function odmPose(lon: number, lat: number, alt: number, gauss: () => number): LonLatAlt {
  const [plon, plat] = offsetLonLat(lon, lat, gauss() * 0.6, gauss() * 0.6)
  return [plon, plat, alt + gauss() * 0.8]
}

/** A shot looking straight down with a little tilt, its heading along the flight leg. */
export const nadirShot = (filename: string, cam: Camera, time: number, pose: LonLatAlt, heading: number, gauss: () => number) =>
  shotFeature(filename, cam, time, pose, nadirRotationVector(heading, gauss(), gauss()))
