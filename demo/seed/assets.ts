import type { MosaicType, Palette } from '../../schemas/common.js'
import type { LonLat } from './flight-geometry.js'
import { encodeGeoTiff } from './geotiff.js'
import { hashString, metresPerDegree, prng } from './geo.js'
import { encodeJpeg } from './jpeg.js'

/**
 * Binary demo assets: small but real JPEGs (optical, white-hot thermal, colour-mapped
 * thermal) and uncompressed GeoTIFF orthophotos. Everything is synthesised from a
 * simple well-pad scene (vegetation, gravel pad, wellhead, pipelines, a hot spot), so
 * the thermal renderings agree with the optical ones.
 */

/** Pixel sizes: DJI M2EA wide camera is 4:3, its thermal sensor 640×512 (5:4). */
export const OPTICAL_SIZE = { width: 64, height: 48 } as const
export const THERMAL_SIZE = { width: 80, height: 64 } as const
export const ORTHO_SIZE = { width: 64, height: 64 } as const

export type Rgb = [number, number, number]

interface Scene {
  /** Material and temperature (°C) at normalised image coordinates (0..1, y down). */
  sample(u: number, v: number): { rgb: Rgb; temp: number }
  ambient: number
}

/** Radii of the wellhead, its cellar and the hot spot, and the cellar's width, in a scene's own units. */
interface WellLayout {
  wellhead: number
  cellar: number
  cellarWidth: number
  spot: number
}

/** Camera frames use normalised image units; orthophotos metres. */
const CAMERA_LAYOUT: WellLayout = { wellhead: 0.035, cellar: 0.07, cellarWidth: 0.035, spot: 0.05 }
const PLAN_LAYOUT: WellLayout = { wellhead: 2.2, cellar: 4.2, cellarWidth: 2, spot: 2.8 }
/** Peak of the orthophoto's insulation defect, and the temperature at its edge (°C). */
const PLAN_HOT = 110
const SPOT_EDGE_TEMP = 55

interface ScenePoint {
  dWell: number
  dSpot: number
  onPipe: boolean
  onPad: () => boolean
  /** Surface grain, 0..1. */
  g: number
}

/** What a point of a pad scene is made of, and its temperature (°C) with the pipeline's hot spot. */
function surfaceAt(p: ScenePoint, layout: WellLayout, ambient: number, hot: number): { rgb: Rgb; temp: number } {
  const { dWell, g } = p
  let rgb: Rgb
  let temp: number
  if (dWell < layout.wellhead) {
    rgb = [150, 155, 160] // wellhead valves
    temp = 78 + (1 - dWell / layout.wellhead) * 40
  } else if (dWell < layout.cellar) {
    rgb = [55, 55, 58] // cellar
    temp = 42 + (1 - (dWell - layout.wellhead) / layout.cellarWidth) * 20
  } else if (p.onPipe) {
    rgb = [205, 205, 200] // insulated pipeline
    temp = 48 + g * 6
  } else if (p.onPad()) {
    rgb = [150 + g * 30, 138 + g * 25, 112 + g * 20] // gravel
    temp = ambient + 6 + g * 3
  } else {
    rgb = [55 + g * 40, 105 + g * 45, 45 + g * 25] // vegetation
    temp = ambient - 1 + g * 2.5
  }
  // An insulation defect on the pipeline: the hot spot the palettes should show.
  if (p.dSpot < layout.spot) temp = Math.max(temp, hot - (p.dSpot / layout.spot) * (hot - 55))
  return { rgb, temp }
}

/** A well pad seen from above; `variant` moves things around, `hot` is the hot-spot peak (°C). */
function padScene(variant: number, hot = 120, ambient = 26): Scene {
  const rnd = prng(0x5eed + variant * 7919)
  const padX0 = 0.15 + rnd() * 0.15
  const padY0 = 0.12 + rnd() * 0.15
  const padX1 = padX0 + 0.45 + rnd() * 0.15
  const padY1 = padY0 + 0.45 + rnd() * 0.15
  const wellX = padX0 + (padX1 - padX0) * (0.3 + rnd() * 0.4)
  const wellY = padY0 + (padY1 - padY0) * (0.3 + rnd() * 0.4)
  const pipeY = Math.min(0.95, wellY + 0.02)
  const pipeAngle = (rnd() - 0.5) * 0.5
  const spotX = wellX + 0.06
  const spotY = pipeY + 0.01
  const noise = prng(0xbeef + variant)
  const grain = Array.from({ length: 97 }, () => noise())

  return {
    ambient,
    sample(u, v) {
      const g = grain[Math.floor((u * 131 + v * 71) * 97) % 97] ?? 0.5
      const dWell = Math.hypot(u - wellX, v - wellY)
      const dSpot = Math.hypot(u - spotX, v - spotY)
      // A pipeline leaves the wellhead towards the image edge.
      const pipeDist = Math.abs(v - (pipeY + (u - wellX) * pipeAngle))
      const onPipe = u >= wellX && pipeDist < 0.018
      const onPad = u >= padX0 && u <= padX1 && v >= padY0 && v <= padY1
      return surfaceAt({ dWell, dSpot, onPipe, onPad: () => onPad, g }, CAMERA_LAYOUT, ambient, hot)
    }
  }
}

const IRONBOW: Array<[number, Rgb]> = [
  [0, [0, 0, 12]],
  [0.13, [38, 0, 110]],
  [0.28, [115, 0, 150]],
  [0.42, [185, 25, 110]],
  [0.56, [228, 70, 40]],
  [0.7, [248, 135, 0]],
  [0.84, [255, 200, 40]],
  [0.94, [255, 240, 150]],
  [1, [255, 255, 235]]
]

export function ironbow(t: number): Rgb {
  const x = Math.min(1, Math.max(0, t))
  for (let i = 1; i < IRONBOW.length; i++) {
    const [p1, c1] = IRONBOW[i]!
    const [p0, c0] = IRONBOW[i - 1]!
    if (x <= p1) {
      const f = (x - p0) / (p1 - p0)
      return [c0[0] + (c1[0] - c0[0]) * f, c0[1] + (c1[1] - c0[1]) * f, c0[2] + (c1[2] - c0[2]) * f]
    }
  }
  return IRONBOW[IRONBOW.length - 1]![1]
}

/** Grey scale, with everything above the alert threshold painted red→yellow. */
export function hotspotAlert(t: number, temp: number, threshold: number, max: number): Rgb {
  if (temp >= threshold) {
    const f = Math.min(1, (temp - threshold) / Math.max(1, max - threshold))
    return [255, 40 + f * 200, 20]
  }
  const g = 25 + t * 215
  return [g, g, g]
}

export type Rendering = 'optical' | 'thermal' | Palette

/** Renders a scene to RGBA pixels. */
function render(scene: Scene, width: number, height: number, kind: Rendering): Uint8Array {
  const temps = new Float32Array(width * height)
  const rgbs: Rgb[] = []
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = scene.sample((x + 0.5) / width, (y + 0.5) / height)
      temps[y * width + x] = s.temp
      rgbs.push(s.rgb)
    }
  }
  let min = Infinity
  let max = -Infinity
  for (const t of temps) {
    min = Math.min(min, t)
    max = Math.max(max, t)
  }
  const span = Math.max(1e-6, max - min)
  const out = new Uint8Array(width * height * 4)
  for (let i = 0; i < temps.length; i++) {
    const temp = temps[i]!
    // A square-root stretch keeps the background readable next to a 120 °C wellhead.
    const t = Math.sqrt((temp - min) / span)
    let c: Rgb
    if (kind === 'optical') c = rgbs[i]!
    else if (kind === 'thermal') c = [20 + t * 235, 20 + t * 235, 20 + t * 235]
    else if (kind === 'medical') c = ironbow(t)
    else c = hotspotAlert(t, temp, scene.ambient + 30, max)
    out[i * 4] = Math.round(c[0])
    out[i * 4 + 1] = Math.round(c[1])
    out[i * 4 + 2] = Math.round(c[2])
    out[i * 4 + 3] = 255
  }
  return out
}

/** A camera frame: optical 64×48, thermal / palettes 80×64. */
export function cameraPixels(variant: number, kind: Rendering): { rgba: Uint8Array; width: number; height: number } {
  const { width, height } = kind === 'optical' ? OPTICAL_SIZE : THERMAL_SIZE
  return { rgba: render(padScene(variant), width, height, kind), width, height }
}

export function cameraJpeg(variant: number, kind: Rendering): Uint8Array {
  const { rgba, width, height } = cameraPixels(variant, kind)
  return encodeJpeg(rgba, width, height)
}

export interface JpegSet {
  optical: Uint8Array[]
  thermal: Uint8Array[]
  medical: Uint8Array[]
  hotspot_alert: Uint8Array[]
}

/** `count` distinct frames of each kind, to be reused across many keys. */
export function cameraJpegSet(count: number): JpegSet {
  const set: JpegSet = { optical: [], thermal: [], medical: [], hotspot_alert: [] }
  for (let v = 0; v < count; v++) {
    set.optical.push(cameraJpeg(v, 'optical'))
    set.thermal.push(cameraJpeg(v, 'thermal'))
    set.medical.push(cameraJpeg(v, 'medical'))
    set.hotspot_alert.push(cameraJpeg(v, 'hotspot_alert'))
  }
  return set
}

function insidePolygon(lon: number, lat: number, ring: readonly LonLat[]): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!
    const [xj, yj] = ring[j]!
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/**
 * The pad as the orthophoto sees it, in real coordinates: gravel exactly inside the
 * pad polygon, the wellhead at its centroid, a pipeline leaving it with a hot spot.
 */
/**
 * Where an orthophoto puts the pad's pipeline: from the wellhead at the polygon's
 * centroid, in a direction (radians clockwise from north), with an insulation
 * defect `spot` metres along it. The line-loss demo measures the same defect.
 */
export function padPipeline(polygon: readonly LonLat[], padId: string) {
  const rnd = prng(0x0a7e + (hashString(padId) % 997) * 104729)
  const ring = polygon.slice(0, -1)
  const centroid: LonLat = [ring.reduce((a, p) => a + p[0], 0) / ring.length, ring.reduce((a, p) => a + p[1], 0) / ring.length]
  const direction = rnd() * 2 * Math.PI
  const spot = 7 + rnd() * 5
  return { centroid, direction, spot, spotRadius: PLAN_LAYOUT.spot, hot: PLAN_HOT, threshold: SPOT_EDGE_TEMP }
}

function padPlanScene(polygon: readonly LonLat[], bbox: Bbox, padId: string): Scene {
  const pipe = padPipeline(polygon, padId)
  const variant = hashString(padId) % 997
  const [cLon, cLat] = pipe.centroid
  const m = metresPerDegree(cLat)
  const [dx, dy] = [Math.sin(pipe.direction), Math.cos(pipe.direction)]
  const spot = pipe.spot // metres from the wellhead along the pipe
  const noise = prng(0xbeef + variant)
  const grain = Array.from({ length: 97 }, () => noise())
  const ambient = 26
  const hot = PLAN_HOT
  return {
    ambient,
    sample(u, v) {
      const lon = bbox.west + u * (bbox.east - bbox.west)
      const lat = bbox.north - v * (bbox.north - bbox.south)
      const e = (lon - cLon) * m.lon
      const n = (lat - cLat) * m.lat
      const g = grain[Math.floor(Math.abs(e * 7.3 + n * 3.1)) % 97] ?? 0.5
      const dWell = Math.hypot(e, n)
      const along = e * dx + n * dy
      const across = Math.abs(-e * dy + n * dx)
      const dSpot = Math.hypot(along - spot, across)
      const onPipe = along > 0 && across < 0.9
      return surfaceAt({ dWell, dSpot, onPipe, onPad: () => insidePolygon(lon, lat, polygon), g }, PLAN_LAYOUT, ambient, hot)
    }
  }
}

export interface Bbox {
  west: number
  south: number
  east: number
  north: number
}

/** The orthophoto's extent: the pad's bounding box plus a 25 % margin, as a flight footprint would be. */
export function orthophotoExtent(polygon: readonly LonLat[]): Bbox {
  const lons = polygon.map((p) => p[0])
  const lats = polygon.map((p) => p[1])
  const b = { west: Math.min(...lons), south: Math.min(...lats), east: Math.max(...lons), north: Math.max(...lats) }
  const mx = (b.east - b.west) * 0.25
  const my = (b.north - b.south) * 0.25
  return { west: b.west - mx, south: b.south - my, east: b.east + mx, north: b.north + my }
}

/** An orthophoto GeoTIFF of a pad for one mosaic type (the scene follows the pad id). */
export function orthophotoTiff(padId: string, type: MosaicType, polygon: readonly LonLat[]): Uint8Array {
  const { width, height } = ORTHO_SIZE
  const bbox = orthophotoExtent(polygon)
  const rgba = render(padPlanScene(polygon, bbox, padId), width, height, type)
  const rgb = new Uint8Array(width * height * 3)
  for (let i = 0; i < width * height; i++) {
    rgb[i * 3] = rgba[i * 4]!
    rgb[i * 3 + 1] = rgba[i * 4 + 1]!
    rgb[i * 3 + 2] = rgba[i * 4 + 2]!
  }
  return encodeGeoTiff({
    width,
    height,
    rgb,
    west: bbox.west,
    north: bbox.north,
    pixelWidth: (bbox.east - bbox.west) / width,
    pixelHeight: (bbox.north - bbox.south) / height
  })
}
