import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MosaicType } from '../../schemas/common.js'
import { hotspotAlert, ironbow, type Rgb } from './assets.js'
import { hashString, prng, toUtm, utmZone } from './geo.js'
import { halve } from '../../src/domain/tiles/downsample.js'
import { encodeTiledTiff, type RasterLevel } from './tiff-writer.js'

/**
 * Demo orthophotos as OpenDroneMap writes them: a pad seen from above in its
 * UTM zone, RGBA with a ragged transparent border, at 3–5 cm per pixel, tiled
 * and DEFLATE-compressed. `odm` is ODM's default (512 px blocks, no overviews),
 * `cog` is `--cog` (256 px blocks and overviews). The thermal renderings put hot
 * spots where the pad's hottest images were taken.
 */

type LonLat = readonly [number, number]

export interface HotSpot {
  lon: number
  lat: number
  /** Peak temperature (°C). */
  temp: number
}

export interface PadScene {
  padId: string
  polygon: readonly LonLat[]
  hotSpots: readonly HotSpot[]
}

export interface OrthophotoSpec extends PadScene {
  type: MosaicType
  layout: 'odm' | 'cog'
}

/** The optical picture and the temperature of every pixel; alpha 0 where nothing was flown. */
export interface RenderedScene {
  optical: RasterLevel
  temps: Float32Array
  tMin: number
  peak: number
}

/** Bumped whenever the pictures change, so cached files are rebuilt. */
const GENERATOR_VERSION = 5
const AMBIENT = 26
const MIN_PX = 2000
const MAX_PX = 4000

interface Frame {
  epsg: number
  zone: number
  originX: number
  originY: number
  res: number
  width: number
  height: number
}

/** The raster grid: the pad's UTM bounding box plus a 25 % margin, at 3–5 cm (coarser only past 4000 px). */
export function orthophotoFrame(polygon: readonly LonLat[]): Frame {
  const ring = polygon.slice(0, -1)
  const cLon = ring.reduce((a, p) => a + p[0], 0) / ring.length
  const cLat = ring.reduce((a, p) => a + p[1], 0) / ring.length
  const zone = utmZone(cLon)
  const pts = ring.map(([lon, lat]) => toUtm(lon, lat, zone))
  const es = pts.map((p) => p.easting)
  const ns = pts.map((p) => p.northing)
  const [w, e, s, n] = [Math.min(...es), Math.max(...es), Math.min(...ns), Math.max(...ns)]
  const bare = Math.max(e - w, n - s)
  // A large survey keeps 5 cm by trimming the margin, and only past 200 m gets coarser pixels.
  const margin = Math.min(0.25 * bare, Math.max(0, (MAX_PX * 0.05 - bare) / 2))
  const mx = Math.min((e - w) * 0.25, margin)
  const my = Math.min((n - s) * 0.25, margin)
  const long = Math.max(e - w + 2 * mx, n - s + 2 * my)
  let res = Math.min(0.05, Math.max(0.03, long / MIN_PX))
  if (long / res > MAX_PX) res = long / MAX_PX
  res = Math.round(res * 1e4) / 1e4
  return {
    epsg: (cLat < 0 ? 32700 : 32600) + zone,
    zone,
    originX: Math.floor((w - mx) / res) * res,
    originY: Math.ceil((n + my) / res) * res,
    res,
    width: Math.ceil((e - w + 2 * mx) / res),
    height: Math.ceil((n - s + 2 * my) / res)
  }
}

/** Smooth value noise in [0, 1] over metres: bilinear between random lattice values (period 256 cells). */
function valueNoise(seed: number, cell: number): (x: number, y: number) => number {
  const rnd = prng(seed)
  const lattice = Float32Array.from({ length: 256 * 256 }, () => rnd())
  const inv = 1 / cell
  return (x, y) => {
    const fx = x * inv
    const fy = y * inv
    const ix = Math.floor(fx)
    const iy = Math.floor(fy)
    const tx = fx - ix
    const ty = fy - iy
    const x0 = ix & 255
    const x1 = (ix + 1) & 255
    const y0 = (iy & 255) << 8
    const y1 = ((iy + 1) & 255) << 8
    const top = lattice[y0 + x0]! * (1 - tx) + lattice[y0 + x1]! * tx
    const bottom = lattice[y1 + x0]! * (1 - tx) + lattice[y1 + x1]! * tx
    return top * (1 - ty) + bottom * ty
  }
}

/** Squared distance from a point to a segment. */
function segmentDistance2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax
  const dy = by - ay
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)))
  const ex = px - ax - t * dx
  const ey = py - ay - t * dy
  return ex * ex + ey * ey
}

/** Where a horizontal line crosses the polygon, sorted: inside is between pairs. */
function crossings(y: number, ring: ReadonlyArray<readonly [number, number]>): number[] {
  const xs: number[] = []
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!
    const [xj, yj] = ring[j]!
    if (yi > y !== yj > y) xs.push(((xj - xi) * (y - yi)) / (yj - yi) + xi)
  }
  return xs.sort((a, b) => a - b)
}

function inside(x: number, y: number, ring: ReadonlyArray<readonly [number, number]>): boolean {
  return insideCrossings(x, crossings(y, ring))
}

function insideCrossings(x: number, xs: readonly number[]): boolean {
  let hit = false
  for (const c of xs) if (x > c) hit = !hit
  return hit
}

/** Renders the pad at full resolution: the optical RGBA and the temperatures the palettes colour. */
export function renderScene(spec: PadScene, frame = orthophotoFrame(spec.polygon)): RenderedScene {
  const { zone, originX, originY, res, width, height } = frame
  const ring = spec.polygon.slice(0, -1).map(([lon, lat]) => {
    const p = toUtm(lon, lat, zone)
    return [p.easting, p.northing] as const
  })
  const cx = ring.reduce((a, p) => a + p[0], 0) / ring.length
  const cy = ring.reduce((a, p) => a + p[1], 0) / ring.length
  // The pad's long axis, from its longest edge.
  let axis: [number, number] = [1, 0]
  let longest = 0
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i]!
    const b = ring[(i + 1) % ring.length]!
    const len = Math.hypot(b[0] - a[0], b[1] - a[1])
    if (len > longest) {
      longest = len
      axis = [(b[0] - a[0]) / len, (b[1] - a[1]) / len]
    }
  }
  const normal: [number, number] = [-axis[1], axis[0]]
  let halfWidth = 0
  for (const [x, y] of ring) halfWidth = Math.max(halfWidth, Math.abs((x - cx) * normal[0] + (y - cy) * normal[1]))

  const hot = spec.hotSpots.map((h) => {
    const p = toUtm(h.lon, h.lat, zone)
    return { x: p.easting, y: p.northing, temp: h.temp }
  })
  // The main wellhead sits under the hottest frames; two more along the pad axis.
  const main =
    hot.length > 0
      ? { x: hot.reduce((a, h) => a + h.x, 0) / hot.length, y: hot.reduce((a, h) => a + h.y, 0) / hot.length }
      : { x: cx, y: cy }
  const wells = [-14, 0, 14].map((d) => ({ x: main.x + axis[0] * d, y: main.y + axis[1] * d })).filter((w) => inside(w.x, w.y, ring))
  // Spurs run from each wellhead across the pad to a header pipe beyond its long side.
  const header = halfWidth + 5
  const road = -(halfWidth + 0.5)
  const peak = Math.max(110, ...hot.map((h) => h.temp))
  const seed = hashString(spec.padId)
  const veg = valueNoise(seed, 2.6)
  const fine = valueNoise(seed ^ 0x9e37, 0.45)
  const edge = valueNoise(seed ^ 0x51ed, 9)
  const tMin = AMBIENT - 1.5

  const out = new Uint8Array(width * height * 4)
  const temps = new Float32Array(width * height)
  const rgb: Rgb = [0, 0, 0]
  for (let row = 0; row < height; row++) {
    const y = originY - (row + 0.5) * res
    const padXs = crossings(y, ring)
    for (let col = 0; col < width; col++) {
      const x = originX + (col + 0.5) * res
      const o = (row * width + col) * 4
      // ODM's orthophoto ends where the photos did: a ragged transparent border.
      const border = Math.min(col, row, width - 1 - col, height - 1 - row) * res
      if (border < 1.5 + edge(x, y) * 4) continue
      const u = (x - cx) * axis[0] + (y - cy) * axis[1]
      const v = (x - cx) * normal[0] + (y - cy) * normal[1]
      // Posterised texture: flat patches keep DEFLATE's output small, as real gravel and grass do not.
      const g = Math.round((veg(x, y) * 0.8 + fine(x, y) * 0.2) * 8) / 8
      let temp: number
      let dWell2 = Infinity
      let nearWell = main
      for (const w of wells) {
        const d2 = (x - w.x) * (x - w.x) + (y - w.y) * (y - w.y)
        if (d2 < dWell2) {
          dWell2 = d2
          nearWell = w
        }
      }
      const dWell = Math.sqrt(dWell2)
      const wu = (nearWell.x - cx) * axis[0] + (nearWell.y - cy) * axis[1]
      const wv = (nearWell.x - cx) * normal[0] + (nearWell.y - cy) * normal[1]
      const onPad = insideCrossings(x, padXs)
      const cellar = Math.max(Math.abs(u - wu), Math.abs(v - wv)) < 1.6
      const spur = Math.abs(u - wu) < 0.3 && v > wv && v < header
      const headerPipe = Math.abs(v - header) < 0.35
      const shadow = (Math.abs(u - wu - 0.5) < 0.25 && v > wv + 1.6 && v < header) || (v - header > 0.35 && v - header < 0.7)
      if (dWell < 0.9) {
        const valve = dWell < 0.3
        rgb[0] = valve ? 190 : 168
        rgb[1] = valve ? 40 : 172
        rgb[2] = valve ? 30 : 178
        temp = 90 + (1 - dWell / 0.9) * 25
      } else if (cellar) {
        rgb[0] = 58 + g * 10
        rgb[1] = 58 + g * 10
        rgb[2] = 62 + g * 10
        temp = 44
      } else if (spur || headerPipe) {
        rgb[0] = 214
        rgb[1] = 214
        rgb[2] = 208
        temp = 56 + g * 6
      } else if (shadow && !onPad) {
        rgb[0] = 40 + g * 20
        rgb[1] = 62 + g * 25
        rgb[2] = 35 + g * 10
        temp = AMBIENT
      } else if (onPad) {
        // A drainage ditch traces the pad's outline.
        let dEdge2 = Infinity
        for (let i = 0; i < ring.length; i++) {
          const a = ring[i]!
          const b = ring[(i + 1) % ring.length]!
          dEdge2 = Math.min(dEdge2, segmentDistance2(x, y, a[0], a[1], b[0], b[1]))
        }
        const ditch = dEdge2 < 0.49
        rgb[0] = ditch ? 92 : 150 + g * 32
        rgb[1] = ditch ? 84 : 138 + g * 26
        rgb[2] = ditch ? 68 : 112 + g * 20
        temp = AMBIENT + (ditch ? 2 : 6 + g * 3)
      } else if (v < road && Math.abs(u) < 2.5) {
        rgb[0] = 128 + g * 20
        rgb[1] = 106 + g * 16
        rgb[2] = 82 + g * 12
        temp = AMBIENT + 8
      } else {
        rgb[0] = 50 + g * 45
        rgb[1] = 100 + g * 55
        rgb[2] = 40 + g * 28
        temp = AMBIENT - 1 + g * 2.5
      }
      for (const h of hot) {
        const d2 = (x - h.x) * (x - h.x) + (y - h.y) * (y - h.y)
        if (d2 < 12.25) temp = Math.max(temp, h.temp - (d2 / 12.25) * (h.temp - 50))
      }
      temps[row * width + col] = temp
      out[o] = rgb[0]
      out[o + 1] = rgb[1]
      out[o + 2] = rgb[2]
      out[o + 3] = 255
    }
  }
  return { optical: { width, height, pixels: out }, temps, tMin, peak }
}

/** One mosaic type of a rendered scene: the palettes map temperature as the thermal JPEGs do. */
export function colour(scene: RenderedScene, type: MosaicType): RasterLevel {
  if (type === 'optical') return scene.optical
  const { width, height, pixels } = scene.optical
  const out = new Uint8Array(pixels.length)
  const span = scene.peak - scene.tMin
  for (let i = 0; i < scene.temps.length; i++) {
    if (pixels[i * 4 + 3] === 0) continue
    const temp = scene.temps[i]!
    const t = Math.sqrt(Math.max(0, Math.min(1, (temp - scene.tMin) / span)))
    const c = type === 'medical' ? ironbow(t) : hotspotAlert(t, temp, AMBIENT + 30, scene.peak)
    out[i * 4] = Math.round(c[0])
    out[i * 4 + 1] = Math.round(c[1])
    out[i * 4 + 2] = Math.round(c[2])
    out[i * 4 + 3] = 255
  }
  return { width, height, pixels: out }
}

export function encodeOrthophoto(spec: OrthophotoSpec, scene?: RenderedScene): Uint8Array {
  const frame = orthophotoFrame(spec.polygon)
  const levels = [colour(scene ?? renderScene(spec, frame), spec.type)]
  if (spec.layout === 'cog') {
    while (Math.max(levels.at(-1)!.width, levels.at(-1)!.height) > 256) levels.push(halve(levels.at(-1)!, 4))
  }
  return encodeTiledTiff({
    levels,
    samples: 4,
    blockSize: spec.layout === 'cog' ? 256 : 512,
    deflateLevel: 3,
    geo: { epsg: frame.epsg, originX: frame.originX, originY: frame.originY, pixelWidth: frame.res, pixelHeight: frame.res }
  })
}

/**
 * The encoded orthophotos of a pad, one per type, from a file cache keyed by the
 * spec: rendering a pad takes seconds, and every embedded start (each test file)
 * seeds them all. The scene is rendered once for all the types that miss.
 */
export function demoOrthophotos(
  pad: PadScene,
  layout: OrthophotoSpec['layout'],
  types: readonly MosaicType[],
  cacheDir = join(tmpdir(), 'thermal-viewer-demo-orthophotos')
): Map<MosaicType, Uint8Array> {
  const out = new Map<MosaicType, Uint8Array>()
  let scene: RenderedScene | undefined
  for (const type of types) {
    const spec: OrthophotoSpec = { ...pad, type, layout }
    const id = createHash('sha1')
      .update(JSON.stringify({ v: GENERATOR_VERSION, zlib: process.versions.zlib, spec }))
      .digest('hex')
      .slice(0, 20)
    const file = join(cacheDir, `${pad.padId}-${type}-${id}.tif`)
    try {
      out.set(type, readFileSync(file))
      continue
    } catch {
      // Not cached yet.
    }
    scene ??= renderScene(pad)
    const bytes = encodeOrthophoto(spec, scene)
    out.set(type, bytes)
    try {
      mkdirSync(cacheDir, { recursive: true })
      // Written aside and renamed, so a concurrent start never reads half a file.
      const partial = `${file}.${process.pid}.partial`
      writeFileSync(partial, bytes)
      renameSync(partial, file)
    } catch {
      // A read-only temp dir only costs the next start the rendering time.
    }
  }
  return out
}
