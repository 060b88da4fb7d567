import { orthophotoTiff, type MosaicType } from './assets.js'
import type { DemoObject } from './demo-dataset.js'
import { thermalMetadata } from './temperatures.js'
import { hashString, metresPerDegree, nadirRotationVector, offsetLonLat, prng, round, toUtm } from './geo.js'
import { seed, type SeedClients, type SeedLogger, type SeedNames } from './seeder.js'

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

const OPTICAL_CAMERA = { camera: 'v2 dji mavic2-enterprise-advanced 2048 1536 brown 0.6666', focal: 0.6704341200294, width: 2048, height: 1536 }
const THERMAL_CAMERA = { camera: 'v2 dji mavic2-enterprise-advanced 640 512 brown 1.1719', focal: 1.1684038124315, width: 640, height: 512 }
const CALIBRATION = { emissivity: 0.95, distance: 30.0, reflection: 27.0, ambient_temp: 27.0, humidity: 65.0 }
const AGL = 45
const PAD_LENGTH = 150
const PAD_WIDTH = 120

const pad2 = (n: number) => String(n).padStart(2, '0')
const pad4 = (n: number) => String(n).padStart(4, '0')

export function sectorName(index: number): string {
  return `sector-${pad2(index + 1)}`
}

/** Period `j` of sector `k` (0 = newest): quarterly surveys back from 2025-03-15, shifted a few days per sector. */
export function periodName(sectorIndex: number, j: number): string {
  const d = new Date(Date.UTC(2025, 2, 15))
  d.setUTCDate(d.getUTCDate() - j * 91 + (sectorIndex === 0 ? 0 : sectorIndex % 9))
  return d.toISOString().slice(0, 10).replace(/-/g, '')
}

function padCenter(site: SiteDef, sectorIndex: number, padNumber: number): [number, number] {
  // Sectors 3 km apart in a row; pads on a 400 m grid inside the sector.
  const [slon, slat] = offsetLonLat(site.center[0], site.center[1], (sectorIndex % 10) * 3000, Math.floor(sectorIndex / 10) * 3000)
  const i = padNumber - 1
  return offsetLonLat(slon, slat, (i % 10) * 400, Math.floor(i / 10) * 400)
}

function padPolygon(center: [number, number]): [number, number][] {
  const corners: [number, number][] = [
    [-1, -1],
    [1, -1],
    [1, 1],
    [-1, 1]
  ].map(([s, t]) => {
    const [lon, lat] = offsetLonLat(center[0], center[1], (s! * PAD_LENGTH) / 2, (t! * PAD_WIDTH) / 2)
    return [round(lon, 6), round(lat, 6)]
  })
  return [...corners, corners[0]!]
}

export interface ScaleChunk {
  pads: Record<string, unknown>[]
  images: Record<string, unknown>[]
  jobs: Record<string, unknown>[]
  objects: DemoObject[]
}

function padItems(spec: ScaleSpec, site: SiteDef, sectorIndex: number): Record<string, unknown>[] {
  const sector = sectorName(sectorIndex)
  const items: Record<string, unknown>[] = []
  for (let n = 1; n <= spec.padsPerSector; n++) {
    items.push({
      pad_id: `${site.id}_${sector}_PAD_${n}`,
      site: site.id,
      sector,
      site_sector: `${site.id}_${sector}`,
      pad_name: String(n),
      // Newer pads join the archive later.
      effective_date: n <= 40 ? '20200101' : '20240601',
      geo_location_area: padPolygon(padCenter(site, sectorIndex, n))
    })
  }
  return items
}

interface Shot {
  type: 'Feature'
  properties: Record<string, unknown>
  geometry: { type: 'Point'; coordinates: number[] }
}

/** One survey: the flown pads' image records, their mosaics (GeoTIFF + shots.geojson) and a calibration job. */
function surveyChunk(spec: ScaleSpec, site: SiteDef, sectorIndex: number, j: number): ScaleChunk {
  const sector = sectorName(sectorIndex)
  const period = periodName(sectorIndex, j)
  const folder = `${site.id}/${sector}/${period}`
  const chunk: ScaleChunk = { pads: [], images: [], jobs: [], objects: [] }
  let index = 1
  let dji = 100
  let clock = Date.parse(`${period.slice(0, 4)}-${period.slice(4, 6)}-${period.slice(6, 8)}T00:40:00Z`) / 1000

  spec.flights.forEach((flight, slot) => {
    // The same 40 pads take turns, whatever the scale, so the newest surveys are identical at every scale.
    const padNumber = ((j * spec.flights.length + slot) % 40) + 1
    const padId = `${site.id}_${sector}_PAD_${padNumber}`
    const center = padCenter(site, sectorIndex, padNumber)
    const polygon = padPolygon(center)
    const mosaics = flight.mosaics
    const rnd = prng(hashString(`${padId}/${period}`))
    const gauss = () => (rnd() + rnd() + rnd() - 1.5) * 0.8
    const m = metresPerDegree(center[1])
    const ambient = 24 + rnd() * 6
    const wellhead = offsetLonLat(center[0], center[1], (rnd() - 0.5) * 20, (rnd() - 0.5) * 20)
    const shots: Record<'optical' | 'thermal', Shot[]> = { optical: [], thermal: [] }
    const keys: Record<string, string> = {}
    for (const type of mosaics) keys[type] = `mosaics/${folder}/${padId}/${type}/viewer`
    const total = flight.legs * flight.shotsPerLeg

    for (let s = 0; s < total; s++) {
      const leg = Math.floor(s / flight.shotsPerLeg)
      const k = s % flight.shotsPerLeg
      const forward = leg % 2 === 0
      const along = -PAD_LENGTH / 2 + (PAD_LENGTH * k) / (flight.shotsPerLeg - 1)
      const east = forward ? along : -along
      const north = -PAD_WIDTH / 2 + (PAD_WIDTH * leg) / (flight.legs - 1)
      const [lon, lat] = offsetLonLat(center[0], center[1], east, north)
      const alt = site.ground + AGL + gauss()
      const heading = ((forward ? 90 : 270) + gauss() * 3 + 360) % 360
      const opticalFilename = `DJI_${pad4(dji)}_W.JPG`
      const thermalFilename = `DJI_${pad4(dji + 1)}_T.JPG`
      dji = (dji + 2) % 10000
      const imageId = `${site.id}_${sector}_${period}_${pad4(index++)}`
      const captureTime = clock + s * 2 + leg * 7

      const dWell = Math.hypot((lon - wellhead[0]) * m.lon, (lat - wellhead[1]) * m.lat)
      const max = dWell < 16 ? 96 + rnd() * 38 - dWell : ambient + 14 + rnd() * 22
      const min = ambient - 4.5 + rnd() * 2.5
      const avg = ambient + 0.6 + rnd() * 2.2
      const calibrated = s % 5 !== 2
      const thermalBase = thermalFilename.replace(/\.JPG$/, '')
      chunk.images.push({
        image_id: imageId,
        site_id: site.id,
        sector_id: sector,
        period,
        pad_id: padId,
        sector_period: `${sector}#${period}`,
        optical_filename: opticalFilename,
        thermal_filename: thermalFilename,
        optical_s3_key: `images/${folder}/${opticalFilename}`,
        thermal_s3_key: `images/${folder}/${thermalFilename}`,
        colored_images: {
          medical: `colored/${folder}/${thermalBase}_medical.JPG`,
          hotspot_alert: `colored/${folder}/${thermalBase}_hotspot_alert.JPG`
        },
        optical_metadata: { gps_location: { latitude: round(lat, 7), longitude: round(lon, 7), altitude: round(alt, 1) } },
        thermal_metadata: thermalMetadata({ min, max, avg }),
        calibration: calibrated
          ? {
              status: 'calibrated',
              params: { ...CALIBRATION },
              temperature_delta: { max_calibrated: round(max * 1.08, 1), avg_calibrated: round(avg * 1.02, 2) }
            }
          : { status: 'not_calibrated' },
        processing_status: { mosaic_prep: { included_in: [...mosaics], mosaic_s3_keys: { ...keys } } }
      })

      // ODM's poses differ slightly from the GPS tags; full double precision, as ODM writes them.
      for (const kind of ['optical', 'thermal'] as const) {
        const cam = kind === 'optical' ? OPTICAL_CAMERA : THERMAL_CAMERA
        const [plon, plat] = offsetLonLat(lon, lat, gauss() * 0.6, gauss() * 0.6)
        const palt = alt + gauss() * 0.8
        const utm = toUtm(plon, plat)
        shots[kind].push({
          type: 'Feature',
          properties: {
            filename: kind === 'optical' ? opticalFilename : thermalFilename,
            camera: cam.camera,
            focal: cam.focal,
            width: cam.width,
            height: cam.height,
            capture_time: captureTime,
            translation: [utm.easting, utm.northing, palt],
            rotation: nadirRotationVector(heading, gauss(), gauss())
          },
          geometry: { type: 'Point', coordinates: [plon, plat, palt] }
        })
      }
    }

    for (const type of mosaics) {
      const features = type === 'optical' ? shots.optical : shots.thermal
      const prefix = keys[type]!
      chunk.objects.push({ key: `${prefix}/odm_orthophoto.tif`, body: orthophotoTiff(padId, type, polygon), contentType: 'image/tiff' })
      chunk.objects.push({
        key: `${prefix}/shots.geojson`,
        body: new TextEncoder().encode(JSON.stringify({ type: 'FeatureCollection', features })),
        contentType: 'application/geo+json'
      })
    }
    clock += total * 2 + flight.legs * 7 + 300
  })

  chunk.jobs.push({
    job_id: `calibration-${site.id}_${sector}-${period}`,
    job_type: 'thermal_calibration',
    status: 'COMPLETED',
    site_id: site.id,
    sector_id: sector,
    period,
    params: { ...CALIBRATION },
    image_count: chunk.images.length,
    created_at: new Date(clock * 1000).toISOString()
  })
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
  return { info: (obj, msg) => (msg === 'seeded demo data' ? undefined : log.info(obj, msg)), warn: log.warn }
}
