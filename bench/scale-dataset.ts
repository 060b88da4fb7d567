import type { MosaicLocation } from '../src/domain/keys.js'
import type { Calibration, PadItem } from '../src/domain/records.js'
import { PALETTES, type MosaicType } from '../schemas/common.js'
import type { DemoDataset, DemoObject } from '../demo/seed/dataset-builder.js'
import {
  AGL,
  captureTime,
  cornerRing,
  flightSeconds,
  gaussianOf,
  groundDistance,
  lawnmower,
  nadirShot,
  odmPose,
  opticalCamera,
  pad4,
  thermalCamera,
  TRANSIT_S,
  type LonLat,
  type ShotFeature
} from '../demo/seed/flight-geometry.js'
import { hashString, metresPerDegree, offsetLonLat, prng, round } from '../demo/seed/geo.js'
import { calibrationJob, imageIdOf, imageKeys, imageRecord, mosaicObjects, padIdOf, padRecord } from '../demo/seed/records.js'
import { demoOrthophotos } from '../demo/seed/orthophoto.js'
import { frameTemperatures, type CalibrationParams, type FrameTemperatures } from '../demo/seed/temperatures.js'
import { seed, type SeedClients, type SeedLogger, type SeedNames } from '../demo/seed/seeder.js'

/**
 * A large, realistic archive for benchmarks: `npm run seed -- --scale N`.
 *
 * An archive grows in area (more sectors, more pads) and in time (more survey
 * periods); one survey does not get bigger because the archive is older. So the
 * per-survey shape is fixed and the counts of sectors, pads and periods grow:
 *
 * | per survey (fixed) | 3 pads flown: one large flight of 400 images (20 legs × 20 shots, a real-sized shots.geojson of 400 features, ~190 KB) and two of 100 |
 * |--------------------|------------------------------------------------------------------------------------------------------|
 * | 1×                 | 3 sites × 2 sectors, 40 pads/sector, 5 periods/sector: 240 pads, 30 surveys, 18,000 images        |
 * | 10×                | 3 sites × 10 sectors, 80 pads/sector, 10 periods/sector: 2,400 pads, 300 surveys, 180,000 images  |
 *
 * In general N× has 240·N pads, 30·N surveys and 18,000·N images: sectors grow by
 * ⌈N/2⌉ and pads and periods per sector by N/⌈N/2⌉. The newest periods, the first
 * pads and the benchmark target (`SCALE_TARGET`) are identical at every scale.
 *
 * The image records, pads, jobs and mosaic objects (GeoTIFF + shots.geojson) are
 * written; camera JPEGs are not (the API signs their URLs without reading them).
 * Deterministic: the same scale always gives the same items and bytes.
 */

export interface ScaleSpec {
  scale: number
  sites: readonly SiteDef[]
  sectorsPerSite: number
  padsPerSector: number
  periodsPerSector: number
  /** The flights of one survey (one sector-period), one pad each. */
  flights: readonly FlightShape[]
}

interface FlightShape {
  legs: number
  shotsPerLeg: number
  /** Mosaics built: complete (optical + medical), with hotspot, or optical only (incomplete). */
  mosaics: readonly MosaicType[]
}

interface SiteDef {
  id: string
  center: [number, number]
  ground: number
}

const SITES: readonly SiteDef[] = [
  { id: 'leyte', center: [124.6351, 11.1655], ground: 420 },
  { id: 'negros', center: [123.1867, 9.2883], ground: 610 },
  { id: 'upper-rhine', center: [8.2146, 49.1485], ground: 118 }
]

/** The requests a benchmark makes: they exist, with the same data, at every scale. */
export const SCALE_TARGET = {
  site: 'leyte',
  sector: 'sector-01',
  period: '20250315',
  /** Flown in the target period with optical, medical and hotspot_alert mosaics (400 shots each). */
  padId: 'leyte_sector-01_PAD_1',
  /** First image of the target pad: calibrated, with both palettes. */
  imageId: 'leyte_sector-01_20250315_0001'
} as const

/** The target pad's polygon (the same at every scale), for the benchmark's tile addresses. */
export function scaleTargetPolygon(): LonLat[] {
  const site = SITES.find((s) => s.id === SCALE_TARGET.site)!
  return padPolygon(padCenter(site, Number(SCALE_TARGET.sector.slice('sector-'.length)) - 1, 1))
}

export function scaleSpec(scale: number): ScaleSpec {
  if (!Number.isInteger(scale) || scale < 1 || scale > 1000) throw new RangeError('scale must be an integer 1..1000')
  const area = Math.ceil(scale / 2)
  const time = scale / area
  return {
    scale,
    sites: SITES,
    sectorsPerSite: 2 * area,
    padsPerSector: Math.round(40 * time),
    periodsPerSector: Math.round(5 * time),
    flights: FLIGHTS
  }
}

export interface ScaleTotals {
  sectors: number
  pads: number
  surveys: number
  images: number
  mosaics: number
}

export function scaleTotals(spec: ScaleSpec): ScaleTotals {
  const sectors = spec.sites.length * spec.sectorsPerSite
  const surveys = sectors * spec.periodsPerSector
  return {
    sectors,
    pads: sectors * spec.padsPerSector,
    surveys,
    images: surveys * spec.flights.reduce((n, f) => n + f.legs * f.shotsPerLeg, 0),
    mosaics: surveys * spec.flights.reduce((n, f) => n + f.mosaics.length, 0)
  }
}

const FLIGHTS: readonly FlightShape[] = [
  { legs: 20, shotsPerLeg: 20, mosaics: ['optical', 'medical', 'hotspot_alert'] },
  { legs: 10, shotsPerLeg: 10, mosaics: ['optical', 'medical'] },
  { legs: 10, shotsPerLeg: 10, mosaics: ['optical'] }
]

const OPTICAL_CAMERA = opticalCamera(0.6704341200294)
const THERMAL_CAMERA = thermalCamera(1.1684038124315)
const CALIBRATION: CalibrationParams = { emissivity: 0.95, distance: 30.0, reflection: 27.0, ambient_temp: 27.0, humidity: 65.0 }
const PAD_LENGTH = 150
const PAD_WIDTH = 120

const pad2 = (n: number) => String(n).padStart(2, '0')

export function sectorName(index: number): string {
  return `sector-${pad2(index + 1)}`
}

/** Period `j` of sector `k` (0 = newest): quarterly surveys back from 2025-03-15, shifted a few days per sector. */
export function periodName(sectorIndex: number, j: number): string {
  const d = new Date(Date.UTC(2025, 2, 15))
  d.setUTCDate(d.getUTCDate() - j * 91 + (sectorIndex === 0 ? 0 : sectorIndex % 9))
  return d.toISOString().slice(0, 10).replace(/-/g, '')
}

function padCenter(site: SiteDef, sectorIndex: number, padNumber: number): LonLat {
  // Sectors 3 km apart in a row; pads on a 400 m grid inside the sector.
  const [slon, slat] = offsetLonLat(site.center[0], site.center[1], (sectorIndex % 10) * 3000, Math.floor(sectorIndex / 10) * 3000)
  const i = padNumber - 1
  return offsetLonLat(slon, slat, (i % 10) * 400, Math.floor(i / 10) * 400)
}

/** An east-west rectangle: the scale pads are all laid out the same way. */
const padPolygon = (center: LonLat) => cornerRing(center, (s, t) => [(s * PAD_LENGTH) / 2, (t * PAD_WIDTH) / 2])

/** A dataset without line-loss results. */
export type ScaleChunk = Omit<DemoDataset, 'measurements'>

function padItems(spec: ScaleSpec, site: SiteDef, sectorIndex: number): PadItem[] {
  const sector = sectorName(sectorIndex)
  const items: PadItem[] = []
  for (let n = 1; n <= spec.padsPerSector; n++) {
    const polygon = padPolygon(padCenter(site, sectorIndex, n))
    // Newer pads join the archive later.
    items.push(padRecord({ site: site.id, sector, name: String(n), effectiveDate: n <= 40 ? '20200101' : '20240601', polygon }))
  }
  return items
}

/** A simple linear stand-in for radiometric calibration: the archive needs plausible numbers, not physics. */
function scaleCalibration(s: number, t: FrameTemperatures): Calibration {
  if (s % 5 === 2) return { status: 'not_calibrated' }
  return {
    status: 'calibrated',
    params: { ...CALIBRATION },
    temperature_delta: { max_calibrated: round(t.max * 1.08, 1), avg_calibrated: round(t.avg * 1.02, 2) }
  }
}

/** Where the next flight of a survey starts: image index, DJI frame number and take-off time (s). */
interface SurveyCursor {
  index: number
  dji: number
  clock: number
}

/** One flight of a survey: its image records and its mosaics (GeoTIFF + shots.geojson). */
function flyPad(chunk: ScaleChunk, site: SiteDef, loc: MosaicLocation, center: LonLat, flight: FlightShape, at: SurveyCursor): void {
  const mosaics = flight.mosaics
  const rnd = prng(hashString(`${loc.pad_id}/${loc.period}`))
  const gauss = gaussianOf(rnd)
  const m = metresPerDegree(center[1])
  const ambient = 24 + rnd() * 6
  const wellhead = offsetLonLat(center[0], center[1], (rnd() - 0.5) * 20, (rnd() - 0.5) * 20)
  const shots: Record<'optical' | 'thermal', ShotFeature[]> = { optical: [], thermal: [] }
  const total = flight.legs * flight.shotsPerLeg

  for (let s = 0; s < total; s++) {
    const w = lawnmower(s, flight.legs, flight.shotsPerLeg, PAD_LENGTH / 2, PAD_WIDTH / 2)
    const [lon, lat] = offsetLonLat(center[0], center[1], w.along, w.across)
    const alt = site.ground + AGL + gauss()
    const heading = ((w.forward ? 90 : 270) + gauss() * 3 + 360) % 360
    const opticalFilename = `DJI_${pad4(at.dji)}_W.JPG`
    const thermalFilename = `DJI_${pad4(at.dji + 1)}_T.JPG`
    at.dji = (at.dji + 2) % 10000
    const temps = frameTemperatures(rnd, ambient, groundDistance(m, [lon, lat], wellhead), 0)
    chunk.images.push(
      imageRecord({
        loc,
        imageId: imageIdOf(loc, at.index++),
        opticalFilename,
        thermalFilename,
        keys: imageKeys(loc, opticalFilename, thermalFilename, PALETTES),
        gps: { lon: round(lon, 7), lat: round(lat, 7), alt: round(alt, 1) },
        temps,
        calibration: scaleCalibration(s, temps),
        mosaics
      })
    )
    // Full double precision, as ODM writes its poses.
    const time = captureTime(at.clock, s, w.leg)
    shots.optical.push(nadirShot(opticalFilename, OPTICAL_CAMERA, time, odmPose(lon, lat, alt, gauss), heading, gauss))
    shots.thermal.push(nadirShot(thermalFilename, THERMAL_CAMERA, time, odmPose(lon, lat, alt, gauss), heading, gauss))
  }
  const polygon = padPolygon(center)
  // The benchmark's tile rows read the target pad's orthophotos: realistic ones, in ODM's default layout.
  const realistic =
    loc.pad_id === SCALE_TARGET.padId ? demoOrthophotos({ padId: loc.pad_id, polygon, hotSpots: [] }, 'odm', mosaics) : undefined
  for (const type of mosaics) {
    const objects = mosaicObjects(loc, type, polygon, type === 'optical' ? shots.optical : shots.thermal)
    const tiff = realistic?.get(type)
    chunk.objects.push(...objects.map((o) => (tiff && o.key.endsWith('.tif') ? { ...o, body: tiff } : o)))
  }
  at.clock += flightSeconds(total, flight.legs) + TRANSIT_S
}

/** One survey: the flown pads' image records, their mosaics and a calibration job. */
function surveyChunk(spec: ScaleSpec, site: SiteDef, sectorIndex: number, j: number): ScaleChunk {
  const sector = sectorName(sectorIndex)
  const period = periodName(sectorIndex, j)
  const chunk: ScaleChunk = { pads: [], images: [], jobs: [], objects: [] }
  const at: SurveyCursor = {
    index: 1,
    dji: 100,
    clock: Date.parse(`${period.slice(0, 4)}-${period.slice(4, 6)}-${period.slice(6, 8)}T00:40:00Z`) / 1000
  }
  spec.flights.forEach((flight, slot) => {
    // The same 40 pads take turns, whatever the scale, so the newest surveys are identical at every scale.
    const padNumber = ((j * spec.flights.length + slot) % 40) + 1
    const loc = { site: site.id, sector, period, pad_id: padIdOf(site.id, sector, String(padNumber)) }
    flyPad(chunk, site, loc, padCenter(site, sectorIndex, padNumber), flight, at)
  })
  const createdAt = new Date(at.clock * 1000).toISOString()
  chunk.jobs.push(calibrationJob({ site: site.id, sector, period, params: CALIBRATION, imageCount: chunk.images.length, createdAt }))
  return chunk
}

/**
 * The archive as chunks of one survey each (pads come with the sector's first
 * survey), so it can be written without holding it all in memory.
 */
export function* scaleChunks(spec: ScaleSpec): Generator<ScaleChunk> {
  for (const site of spec.sites) {
    for (let k = 0; k < spec.sectorsPerSite; k++) {
      for (let j = 0; j < spec.periodsPerSector; j++) {
        const chunk = surveyChunk(spec, site, k, j)
        if (j === 0) chunk.pads = padItems(spec, site, k)
        yield chunk
      }
    }
  }
}

export interface SeedScaleOptions {
  log?: SeedLogger
  /** Create missing tables and the bucket (default true). */
  createResources?: boolean
  /** Objects straight into the emulator's store (embedded `writeObjects`); PutObject otherwise. */
  putObjects?: (objects: DemoObject[]) => Promise<unknown>
  /** Progress line every this many ms (default 3000). */
  progressMs?: number
  /** Surveys written at once (default 2): one generates while another waits on DynamoDB. */
  concurrency?: number
}

export interface SeedScaleResult extends ScaleTotals {
  objects: number
  ms: number
}

/** Writes the N× archive through BatchWrite (and the object hook), printing progress. */
export async function seedScale(
  clients: SeedClients,
  names: SeedNames,
  scale: number,
  opts: SeedScaleOptions = {}
): Promise<SeedScaleResult> {
  const spec = scaleSpec(scale)
  const totals = scaleTotals(spec)
  const log = opts.log
  const started = Date.now()
  log?.info({ scale, ...totals }, 'seeding the scale archive')

  // Tables and bucket once, then one survey after another with the seeder's chunked BatchWrite.
  if (opts.createResources ?? true) {
    await seed(clients, names, { pads: [], images: [], jobs: [], objects: [] }, { log: quietLog(log) })
  }
  let images = 0
  let objects = 0
  let surveys = 0
  let reported = Date.now()
  const progressMs = opts.progressMs ?? 3000
  const chunks = scaleChunks(spec)
  const worker = async () => {
    for (;;) {
      const next = chunks.next()
      if (next.done) return
      const chunk = next.value
      await seed(clients, names, chunk, { createResources: false, putObjects: opts.putObjects })
      images += chunk.images.length
      objects += chunk.objects.length
      surveys++
      if (Date.now() - reported >= progressMs) {
        reported = Date.now()
        const s = (reported - started) / 1000
        const rate = images / s
        log?.info(
          {
            surveys: `${surveys}/${totals.surveys}`,
            images: `${images}/${totals.images}`,
            rate: `${Math.round(rate)}/s`,
            eta_s: Math.round((totals.images - images) / Math.max(rate, 1))
          },
          'progress'
        )
      }
    }
  }
  await Promise.all(Array.from({ length: opts.concurrency ?? 2 }, worker))
  const ms = Date.now() - started
  log?.info({ scale, ...totals, objects, s: Math.round(ms / 100) / 10 }, 'scale archive seeded')
  return { ...totals, objects, ms }
}

/** The seeder logs one line per call; per-survey calls would drown the progress lines. */
function quietLog(log?: SeedLogger): SeedLogger | undefined {
  if (!log) return undefined
  return { info: (obj, msg) => (msg === 'seeded demo data' ? undefined : log.info(obj, msg)), warn: (obj, msg) => log.warn(obj, msg) }
}
