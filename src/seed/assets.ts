import { hashString, metresPerDegree, prng } from './geo.js'
import { encodeJpeg } from './jpeg.js'

/**
 * Binary demo assets: small but real JPEGs (optical, white-hot thermal, colour-mapped
 * thermal) and uncompressed GeoTIFF orthophotos. Everything is synthesised from a
 * simple well-pad scene (vegetation, gravel pad, wellhead, pipelines, a hot spot), so
 * the thermal renderings agree with the optical ones.
 */

export type Palette = 'medical' | 'hotspot_alert'
export type MosaicType = 'optical' | Palette

/** Pixel sizes: DJI M2EA wide camera is 4:3, its thermal sensor 640×512 (5:4). */
export const OPTICAL_SIZE = { width: 64, height: 48 } as const
export const THERMAL_SIZE = { width: 80, height: 64 } as const
export const ORTHO_SIZE = { width: 64, height: 64 } as const

type Rgb = [number, number, number]

interface Scene {
  /** Material and temperature (°C) at normalised image coordinates (0..1, y down). */
  sample(u: number, v: number): { rgb: Rgb; temp: number }
  ambient: number
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
      let rgb: Rgb
      let temp: number
      if (dWell < 0.035) {
        rgb = [150, 155, 160] // wellhead valves
        temp = 78 + (1 - dWell / 0.035) * 40
      } else if (dWell < 0.07) {
        rgb = [55, 55, 58] // cellar
        temp = 42 + (1 - (dWell - 0.035) / 0.035) * 20
      } else if (onPipe) {
        rgb = [205, 205, 200] // insulated pipeline
        temp = 48 + g * 6
      } else if (onPad) {
        rgb = [150 + g * 30, 138 + g * 25, 112 + g * 20] // gravel
        temp = ambient + 6 + g * 3
      } else {
        rgb = [55 + g * 40, 105 + g * 45, 45 + g * 25] // vegetation
        temp = ambient - 1 + g * 2.5
      }
      // An insulation defect on the pipeline: the hot spot the palettes should show.
      if (dSpot < 0.05) temp = Math.max(temp, hot - (dSpot / 0.05) * (hot - 55))
      return { rgb, temp }
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
function hotspotAlert(t: number, temp: number, threshold: number, max: number): Rgb {
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

// ---------------------------------------------------------------------------
// GeoTIFF

const TIFF_SHORT = 3
const TIFF_LONG = 4
const TIFF_RATIONAL = 5
const TIFF_ASCII = 2
const TIFF_DOUBLE = 12

interface TiffEntry {
  tag: number
  type: number
  values: number[] | string
}

const TYPE_SIZE: Record<number, number> = { [TIFF_ASCII]: 1, [TIFF_SHORT]: 2, [TIFF_LONG]: 4, [TIFF_RATIONAL]: 8, [TIFF_DOUBLE]: 8 }

export interface GeoTiffOptions {
  width: number
  height: number
  /** Interleaved RGB, row-major, top row first. */
  rgb: Uint8Array
  /** Longitude of the left edge and latitude of the top edge (EPSG:4326). */
  west: number
  north: number
  /** Pixel size in degrees. */
  pixelWidth: number
  pixelHeight: number
}

/**
 * A baseline little-endian TIFF (RGB, 8 bits, one uncompressed strip) with the
 * GeoTIFF tags ModelPixelScale, ModelTiepoint and GeoKeyDirectory for EPSG:4326
 * (geographic, WGS 84, pixel-is-area).
 */
export function encodeGeoTiff(o: GeoTiffOptions): Uint8Array {
  const imageBytes = o.width * o.height * 3
  if (o.rgb.length !== imageBytes) throw new Error(`expected ${imageBytes} RGB bytes, got ${o.rgb.length}`)
  const geoAscii = 'WGS 84|'
  const entries: TiffEntry[] = [
    { tag: 256, type: TIFF_LONG, values: [o.width] }, // ImageWidth
    { tag: 257, type: TIFF_LONG, values: [o.height] }, // ImageLength
    { tag: 258, type: TIFF_SHORT, values: [8, 8, 8] }, // BitsPerSample
    { tag: 259, type: TIFF_SHORT, values: [1] }, // Compression: none
    { tag: 262, type: TIFF_SHORT, values: [2] }, // PhotometricInterpretation: RGB
    { tag: 273, type: TIFF_LONG, values: [0] }, // StripOffsets (patched below)
    { tag: 277, type: TIFF_SHORT, values: [3] }, // SamplesPerPixel
    { tag: 278, type: TIFF_LONG, values: [o.height] }, // RowsPerStrip
    { tag: 279, type: TIFF_LONG, values: [imageBytes] }, // StripByteCounts
    { tag: 282, type: TIFF_RATIONAL, values: [72, 1] }, // XResolution
    { tag: 283, type: TIFF_RATIONAL, values: [72, 1] }, // YResolution
    { tag: 284, type: TIFF_SHORT, values: [1] }, // PlanarConfiguration: chunky
    { tag: 296, type: TIFF_SHORT, values: [2] }, // ResolutionUnit: inch
    { tag: 305, type: TIFF_ASCII, values: 'thermal-viewer demo seed\0' }, // Software
    { tag: 33550, type: TIFF_DOUBLE, values: [o.pixelWidth, o.pixelHeight, 0] }, // ModelPixelScaleTag
    { tag: 33922, type: TIFF_DOUBLE, values: [0, 0, 0, o.west, o.north, 0] }, // ModelTiepointTag
    {
      tag: 34735, // GeoKeyDirectoryTag: header, then (key, location, count, value)
      type: TIFF_SHORT,
      values: [
        1, 1, 0, 4,
        1024, 0, 1, 2, // GTModelTypeGeoKey = ModelTypeGeographic
        1025, 0, 1, 1, // GTRasterTypeGeoKey = RasterPixelIsArea
        2048, 0, 1, 4326, // GeographicTypeGeoKey = WGS 84
        2049, 34737, geoAscii.length, 0 // GeogCitationGeoKey → GeoAsciiParams
      ]
    },
    { tag: 34737, type: TIFF_ASCII, values: `${geoAscii}\0` } // GeoAsciiParamsTag
  ]

  const ifdOffset = 8
  const ifdSize = 2 + entries.length * 12 + 4
  let cursor = ifdOffset + ifdSize
  const external: Array<{ entry: TiffEntry; offset: number }> = []
  for (const entry of entries) {
    const size = (TYPE_SIZE[entry.type] ?? 1) * entry.values.length
    if (size > 4) {
      cursor += cursor % 2 // word alignment
      external.push({ entry, offset: cursor })
      cursor += size
    }
  }
  cursor += cursor % 2
  const stripOffset = cursor
  const total = stripOffset + imageBytes
  const buf = new Uint8Array(total)
  const view = new DataView(buf.buffer)
  buf.set([0x49, 0x49, 42, 0], 0) // "II*\0"
  view.setUint32(4, ifdOffset, true)
  ;(entries.find((e) => e.tag === 273)!.values as number[])[0] = stripOffset

  const writeValues = (entry: TiffEntry, at: number) => {
    const vals = entry.values
    if (typeof vals === 'string') {
      for (let i = 0; i < vals.length; i++) buf[at + i] = vals.charCodeAt(i)
      return
    }
    vals.forEach((v, i) => {
      if (entry.type === TIFF_SHORT) view.setUint16(at + i * 2, v, true)
      else if (entry.type === TIFF_LONG || entry.type === TIFF_RATIONAL) view.setUint32(at + i * 4, v, true)
      else if (entry.type === TIFF_DOUBLE) view.setFloat64(at + i * 8, v, true)
    })
  }

  view.setUint16(ifdOffset, entries.length, true)
  entries.forEach((entry, i) => {
    const at = ifdOffset + 2 + i * 12
    const count = entry.type === TIFF_RATIONAL ? entry.values.length / 2 : entry.values.length
    view.setUint16(at, entry.tag, true)
    view.setUint16(at + 2, entry.type, true)
    view.setUint32(at + 4, count, true)
    const ext = external.find((x) => x.entry === entry)
    if (ext) {
      view.setUint32(at + 8, ext.offset, true)
      writeValues(entry, ext.offset)
    } else {
      writeValues(entry, at + 8)
    }
  })
  view.setUint32(ifdOffset + 2 + entries.length * 12, 0, true) // no next IFD
  buf.set(o.rgb, stripOffset)
  return buf
}

type LonLat = [number, number]

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
  return { centroid, direction, spot, spotRadius: 2.8, hot: 110, threshold: 55 }
}

function padPlanScene(polygon: readonly LonLat[], bbox: Bbox, padId: string): Scene {
  const pipe = padPipeline(polygon, padId)
  const [cLon, cLat] = pipe.centroid
  const variant = hashString(padId) % 997
  const m = metresPerDegree(cLat)
  const [dx, dy] = [Math.sin(pipe.direction), Math.cos(pipe.direction)]
  const spot = pipe.spot // metres from the wellhead along the pipe
  const noise = prng(0xbeef + variant)
  const grain = Array.from({ length: 97 }, () => noise())
  const ambient = 26
  const hot = pipe.hot
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
      let rgb: Rgb
      let temp: number
      if (dWell < 2.2) {
        rgb = [150, 155, 160] // wellhead valves
        temp = 78 + (1 - dWell / 2.2) * 40
      } else if (dWell < 4.2) {
        rgb = [55, 55, 58] // cellar
        temp = 42 + (1 - (dWell - 2.2) / 2) * 20
      } else if (along > 0 && across < 0.9) {
        rgb = [205, 205, 200]
        temp = 48 + g * 6
      } else if (insidePolygon(lon, lat, polygon)) {
        rgb = [150 + g * 30, 138 + g * 25, 112 + g * 20]
        temp = ambient + 6 + g * 3
      } else {
        rgb = [55 + g * 40, 105 + g * 45, 45 + g * 25]
        temp = ambient - 1 + g * 2.5
      }
      if (dSpot < pipe.spotRadius) temp = Math.max(temp, hot - (dSpot / pipe.spotRadius) * (hot - pipe.threshold))
      return { rgb, temp }
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
