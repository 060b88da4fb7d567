/**
 * Small geodesy and camera-pose helpers for generating realistic demo data:
 * WGS84 → UTM, local metre offsets, and the OpenDroneMap/OpenSfM angle-axis
 * rotation of a nadir camera. Pure functions, no I/O.
 */
import { rotationMatrix } from '../../src/domain/orientation.js'

export type Vec3 = [number, number, number]
export type Mat3 = [Vec3, Vec3, Vec3]

const WGS84_A = 6378137
const WGS84_F = 1 / 298.257223563
const WGS84_E2 = WGS84_F * (2 - WGS84_F)
const DEG = Math.PI / 180

export function utmZone(lon: number): number {
  return Math.min(60, Math.max(1, Math.floor((lon + 180) / 6) + 1))
}

/**
 * WGS84 longitude/latitude to UTM easting/northing (transverse Mercator, Snyder's
 * series; millimetre-accurate within a zone). The zone defaults to the one holding `lon`.
 */
export function toUtm(lon: number, lat: number, zone = utmZone(lon)): { easting: number; northing: number; zone: number } {
  const k0 = 0.9996
  const e2 = WGS84_E2
  const e4 = e2 * e2
  const e6 = e4 * e2
  const ep2 = e2 / (1 - e2)
  const phi = lat * DEG
  const lambda0 = ((zone - 1) * 6 - 180 + 3) * DEG
  const sin = Math.sin(phi)
  const cos = Math.cos(phi)
  const tan = Math.tan(phi)
  const N = WGS84_A / Math.sqrt(1 - e2 * sin * sin)
  const T = tan * tan
  const C = ep2 * cos * cos
  const A = cos * (lon * DEG - lambda0)
  const M =
    WGS84_A *
    ((1 - e2 / 4 - (3 * e4) / 64 - (5 * e6) / 256) * phi -
      ((3 * e2) / 8 + (3 * e4) / 32 + (45 * e6) / 1024) * Math.sin(2 * phi) +
      ((15 * e4) / 256 + (45 * e6) / 1024) * Math.sin(4 * phi) -
      ((35 * e6) / 3072) * Math.sin(6 * phi))
  const easting = k0 * N * (A + ((1 - T + C) * A ** 3) / 6 + ((5 - 18 * T + T * T + 72 * C - 58 * ep2) * A ** 5) / 120) + 500000
  let northing =
    k0 *
    (M +
      N * tan * ((A * A) / 2 + ((5 - T + 9 * C + 4 * C * C) * A ** 4) / 24 + ((61 - 58 * T + T * T + 600 * C - 330 * ep2) * A ** 6) / 720))
  if (lat < 0) northing += 10000000
  return { easting, northing, zone }
}

/** Metres per degree of latitude and of longitude at a latitude (WGS84 ellipsoid). */
export function metresPerDegree(lat: number): { lat: number; lon: number } {
  const phi = lat * DEG
  const s2 = Math.sin(phi) ** 2
  const w = Math.sqrt(1 - WGS84_E2 * s2)
  const meridional = (WGS84_A * (1 - WGS84_E2)) / w ** 3
  const normal = WGS84_A / w
  return { lat: meridional * DEG, lon: normal * Math.cos(phi) * DEG }
}

/** Moves a lon/lat point by metres east/north (local tangent plane; fine over a few hundred metres). */
export function offsetLonLat(lon: number, lat: number, east: number, north: number): [number, number] {
  const m = metresPerDegree(lat)
  return [lon + east / m.lon, lat + north / m.lat]
}

const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]

function matMul(a: Mat3, b: Mat3): Mat3 {
  const out = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0]
  ] as Mat3
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      out[i]![j] = a[i]![0] * b[0][j]! + a[i]![1] * b[1][j]! + a[i]![2] * b[2][j]!
    }
  }
  return out
}

/** Inverse Rodrigues: rotation matrix → angle-axis vector, stable near θ = 0 and θ = π. */
export function rotationVectorFromMatrix(R: Mat3): Vec3 {
  const trace = R[0][0] + R[1][1] + R[2][2]
  const cosTheta = Math.min(1, Math.max(-1, (trace - 1) / 2))
  const theta = Math.acos(cosTheta)
  // 2·sinθ·k, from the antisymmetric part.
  const w: Vec3 = [R[2][1] - R[1][2], R[0][2] - R[2][0], R[1][0] - R[0][1]]
  if (theta < 1e-9) return [w[0] / 2, w[1] / 2, w[2] / 2]
  if (cosTheta > 0) {
    const f = theta / (2 * Math.sin(theta))
    return [w[0] * f, w[1] * f, w[2] * f]
  }
  // θ ≥ 90°: take the axis from the symmetric part, k·kᵀ = (sym(R) − cosθ·I) / (1 − cosθ),
  // using the row with the largest diagonal entry, then orient it with the antisymmetric part.
  const B = (i: number, j: number) => ((R[i]![j]! + R[j]![i]!) / 2 - (i === j ? cosTheta : 0)) / (1 - cosTheta)
  let i = 0
  if (B(1, 1) > B(i, i)) i = 1
  if (B(2, 2) > B(i, i)) i = 2
  const ki = Math.sqrt(Math.max(B(i, i), 0))
  const k: Vec3 = [0, 0, 0]
  for (let j = 0; j < 3; j++) k[j] = j === i ? ki : B(i, j) / ki
  const norm = Math.hypot(k[0], k[1], k[2])
  const sign = k[0] * w[0] + k[1] * w[1] + k[2] * w[2] < 0 ? -1 : 1
  return [(sign * theta * k[0]) / norm, (sign * theta * k[1]) / norm, (sign * theta * k[2]) / norm]
}

/**
 * World-to-camera rotation (rows = camera x right, y down the image, z forward, in
 * ENU world coordinates) of a camera looking straight down whose image top points
 * to `headingDeg` (clockwise from north). Small `tiltXDeg`/`tiltYDeg` rotate the
 * camera about its own x/y axes (gimbal pitch/roll error).
 */
export function nadirCameraMatrix(headingDeg: number, tiltXDeg = 0, tiltYDeg = 0): Mat3 {
  const psi = headingDeg * DEG
  const y: Vec3 = [-Math.sin(psi), -Math.cos(psi), 0]
  const z: Vec3 = [0, 0, -1]
  const x = cross(y, z)
  let R: Mat3 = [x, y, z]
  if (tiltXDeg !== 0 || tiltYDeg !== 0) {
    const a = tiltXDeg * DEG
    const b = tiltYDeg * DEG
    const rx: Mat3 = [
      [1, 0, 0],
      [0, Math.cos(a), -Math.sin(a)],
      [0, Math.sin(a), Math.cos(a)]
    ]
    const ry: Mat3 = [
      [Math.cos(b), 0, Math.sin(b)],
      [0, 1, 0],
      [-Math.sin(b), 0, Math.cos(b)]
    ]
    // Rotations in the camera frame act on the left of the world-to-camera matrix.
    R = matMul(matMul(ry, rx), R)
  }
  return R
}

/** The ODM `rotation` (angle-axis, radians) of a nadir camera; heading 0 ⇒ [π, 0, 0]. */
export function nadirRotationVector(headingDeg: number, tiltXDeg = 0, tiltYDeg = 0): Vec3 {
  return rotationVectorFromMatrix(nadirCameraMatrix(headingDeg, tiltXDeg, tiltYDeg))
}

/**
 * Heading of the image top (degrees clockwise from north, 0..360) and off-nadir
 * angle (degrees) of an ODM angle-axis rotation. Used to check generated poses.
 */
export function cameraHeadingAndTilt(rotation: readonly number[]): { heading: number; offNadir: number } {
  const R = rotationMatrix(rotation)
  const up: Vec3 = [-R[1][0], -R[1][1], -R[1][2]]
  const heading = (((Math.atan2(up[0], up[1]) / DEG) % 360) + 360) % 360
  const offNadir = Math.acos(Math.min(1, Math.max(-1, -R[2][2]))) / DEG
  return { heading, offNadir }
}

/** Deterministic PRNG (mulberry32) so the demo data is identical on every start. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A stable 32-bit hash of a string (FNV-1a), for per-id deterministic variation. */
export function hashString(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

export function round(value: number, decimals: number): number {
  const f = 10 ** decimals
  return Math.round(value * f) / f
}
