import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../package-info.js'
import { cameraJpegSet, orthophotoTiff, type MosaicType } from './assets.js'
import { hashString, metresPerDegree, nadirRotationVector, offsetLonLat, prng, round, toUtm } from './geo.js'
import { withLineLossDemo } from './line-loss-demo.js'

/**
 * The demo dataset: pads, images and jobs as the DynamoDB DocumentClient writes
 * them, plus every S3 object they reference (PRD §5.1–5.4). Deterministic: the
 * same call always returns the same items and bytes.
 *
 * Leyte (Philippines) is synthetic but realistic: lawnmower flights of a DJI M2EA
 * over each pad, ODM-style shots.geojson with UTM 51N translations and nadir
 * angle-axis rotations. Upper Rhine / Insheim uses a real ODM shots.geojson.
 */

export interface DemoObject {
  key: string
  body: Uint8Array
  contentType: string
}

export interface DemoDataset {
  pads: Record<string, unknown>[]
  images: Record<string, unknown>[]
  jobs: Record<string, unknown>[]
  measurements?: Record<string, unknown>[]
  objects: DemoObject[]
}

/** Ids worth knowing in tests and demos. */
export const DEMO = {
  sites: ['leyte', 'upper-rhine'],
  sectors: {
    leyte: ['mahanagdong-a', 'mahanagdong-b', 'malitbog', 'tongonan'],
    'upper-rhine': ['insheim']
  },
  /** The PRD's example image: calibrated, in PAD_105 / 20241230, optical DJI_0380_W.JPG, thermal DJI_0381_T.JPG. */
  prdImageId: 'leyte_tongonan_20241230_0379',
  /** Calibration status `not_calibrated` (no params / temperature_delta). */
  uncalibratedImageId: 'leyte_tongonan_20241230_0350',
  /** colored_images has no `hotspot_alert`, and that object does not exist. */
  noHotspotImageId: 'leyte_tongonan_20241230_0352',
  /** Frames in PAD_105 / 20241230 optical shots.geojson that match no image record (a re-flight). */
  unmatchedShotFilenames: ['DJI_0382_W.JPG', 'DJI_0384_W.JPG'],
  /** A pad item that has neither `site` nor `site_id` (but sits in the leyte_tongonan GSI partition). */
  orphanPadId: 'leyte_tongonan_PAD_orphan',
  insheimPadId: 'upper-rhine_insheim_PAD_A1',
  insheimPeriod: '20250629'
} as const

type LonLat = [number, number]

interface PadDef {
  site: string
  sector: string
  name: string
  /** Closed polygon [[lon, lat], ...]. */
  polygon: LonLat[]
  /** Direction of the long axis (degrees clockwise from north): flight legs follow it. */
  axis: number
  effectiveDate: string
  /** Ground elevation (m above sea level). */
  ground: number
  /** Item quirks the API must cope with. */
  quirk?: 'site_id' | 'no_pad_name' | 'orphan'
}

interface FlightDef {
  pad: string
  legs: number
  perLeg: number
  /** Mosaics built for this pad and period (each with odm_orthophoto.tif and shots.geojson). */
  mosaics: MosaicType[]
  calibration: 'calibrated' | 'not_calibrated' | 'mixed'
  /** Images carry no processing_status (processed before the mosaic workflow existed). */
  noProcessingStatus?: boolean
  /** Pins the first image index and DJI number (otherwise they continue from the previous flight). */
  firstIndex?: number
  firstDji?: number
}

interface PeriodDef {
  site: string
  sector: string
  period: string
  /** Local take-off time of the first flight, ISO with offset. */
  start: string
  firstIndex: number
  firstDji: number
  ambient: number
  calibrationParams: { emissivity: number; distance: number; reflection: number; ambient_temp: number; humidity: number }
  flights: FlightDef[]
}

const AGL = 45 // flight height above the pad (m)
const SHOT_INTERVAL_S = 2
const LEG_TURN_S = 7

const OPTICAL_CAMERA = { camera: 'v2 dji mavic2-enterprise-advanced 2048 1536 brown 0.6666', focal: 0.6704, width: 2048, height: 1536 }
const THERMAL_CAMERA = { camera: 'v2 dji mavic2-enterprise-advanced 640 512 brown 1.1719', focal: 1.1684, width: 640, height: 512 }

/** A rectangle of `length` × `width` metres centred on a point, its long axis at `axis` degrees. */
function rectangle(center: LonLat, length: number, width: number, axis: number): LonLat[] {
  const a = (axis * Math.PI) / 180
  const along = [Math.sin(a), Math.cos(a)] as const
  const across = [Math.cos(a), -Math.sin(a)] as const
  const corners: LonLat[] = [
    [-1, -1],
    [1, -1],
    [1, 1],
    [-1, 1]
  ].map(([s, t]) => {
    const east = (s! * length * along[0]) / 2 + (t! * width * across[0]) / 2
    const north = (s! * length * along[1]) / 2 + (t! * width * across[1]) / 2
    const [lon, lat] = offsetLonLat(center[0], center[1], east, north)
    return [round(lon, 6), round(lat, 6)]
  })
  return [...corners, corners[0]!]
}

const PAD_105_CENTER: LonLat = [(124.635123 + 124.635789) / 2, (11.165456 + 11.166123) / 2]
const near = (east: number, north: number, from: LonLat = PAD_105_CENTER): LonLat => offsetLonLat(from[0], from[1], east, north)
const MAHANAGDONG: LonLat = [124.6862, 11.1049]
const MALITBOG: LonLat = [124.6631, 11.1402]

const PADS: PadDef[] = [
  {
    site: 'leyte',
    sector: 'tongonan',
    name: '105',
    polygon: [
      [124.635123, 11.165456],
      [124.635789, 11.165456],
      [124.635789, 11.166123],
      [124.635123, 11.166123],
      [124.635123, 11.165456]
    ],
    axis: 90,
    effectiveDate: '20200101',
    ground: 400.5
  },
  { site: 'leyte', sector: 'tongonan', name: 'tgn-ss1', polygon: rectangle(near(-420, 310), 58, 40, 35), axis: 35, effectiveDate: '20210615', ground: 388.2 },
  { site: 'leyte', sector: 'tongonan', name: '2', polygon: rectangle(near(380, -260), 64, 46, 120), axis: 120, effectiveDate: '20200101', ground: 412.7, quirk: 'no_pad_name' },
  { site: 'leyte', sector: 'tongonan', name: '10', polygon: rectangle(near(150, 520), 70, 50, 75), axis: 75, effectiveDate: '20200101', ground: 421.3, quirk: 'site_id' },
  { site: 'leyte', sector: 'tongonan', name: 'orphan', polygon: rectangle(near(-150, -480), 30, 30, 0), axis: 0, effectiveDate: '20190301', ground: 405, quirk: 'orphan' },
  { site: 'leyte', sector: 'mahanagdong-a', name: 'MG-5D', polygon: rectangle(MAHANAGDONG, 66, 48, 20), axis: 20, effectiveDate: '20200101', ground: 561.4 },
  { site: 'leyte', sector: 'mahanagdong-a', name: 'MG-22D', polygon: rectangle(near(520, -330, MAHANAGDONG), 60, 44, 155), axis: 155, effectiveDate: '20220301', ground: 548.9 },
  { site: 'leyte', sector: 'mahanagdong-b', name: 'MG-14D', polygon: rectangle(near(-610, -720, MAHANAGDONG), 62, 50, 100), axis: 100, effectiveDate: '20200101', ground: 602.1 },
  { site: 'leyte', sector: 'malitbog', name: 'MB-1', polygon: rectangle(MALITBOG, 70, 52, 60), axis: 60, effectiveDate: '20200101', ground: 318.6 },
  { site: 'leyte', sector: 'malitbog', name: 'MB-3', polygon: rectangle(near(-380, 240, MALITBOG), 56, 42, 0), axis: 0, effectiveDate: '20230801', ground: 331.2 }
]

const padId = (site: string, sector: string, name: string) => `${site}_${sector}_PAD_${name}`

const PRD_CALIBRATION = { emissivity: 0.92, distance: 25.0, reflection: 25.0, ambient_temp: 25.0, humidity: 50.0 }

const ALL: MosaicType[] = ['optical', 'medical', 'hotspot_alert']
const VIEWER: MosaicType[] = ['optical', 'medical']

const PERIODS: PeriodDef[] = [
  {
    site: 'leyte',
    sector: 'tongonan',
    period: '20250228',
    start: '2025-02-28T08:40:00+08:00',
    firstIndex: 1,
    firstDji: 12,
    ambient: 27.5,
    calibrationParams: { emissivity: 0.95, distance: 30.0, reflection: 27.0, ambient_temp: 27.0, humidity: 65.0 },
    flights: [
      { pad: '105', legs: 4, perLeg: 4, mosaics: ALL, calibration: 'mixed' },
      { pad: 'tgn-ss1', legs: 3, perLeg: 4, mosaics: VIEWER, calibration: 'calibrated' }
    ]
  },
  {
    site: 'leyte',
    sector: 'tongonan',
    period: '20241231-PMSB',
    start: '2024-12-31T07:55:00+08:00',
    firstIndex: 1,
    firstDji: 502,
    ambient: 25.8,
    calibrationParams: PRD_CALIBRATION,
    flights: [
      { pad: '10', legs: 3, perLeg: 4, mosaics: ALL, calibration: 'calibrated' },
      // PipeMeasure survey: only the hotspot_alert mosaic was built, so the pad is not "complete".
      { pad: '105', legs: 2, perLeg: 5, mosaics: ['hotspot_alert'], calibration: 'calibrated' }
    ]
  },
  {
    site: 'leyte',
    sector: 'tongonan',
    period: '20241230',
    start: '2024-12-30T09:05:00+08:00',
    firstIndex: 348,
    firstDji: 318,
    ambient: 26.4,
    calibrationParams: PRD_CALIBRATION,
    flights: [
      { pad: '105', legs: 4, perLeg: 8, mosaics: ALL, calibration: 'mixed' },
      { pad: '10', legs: 4, perLeg: 5, mosaics: VIEWER, calibration: 'calibrated' },
      { pad: '2', legs: 4, perLeg: 5, mosaics: VIEWER, calibration: 'mixed' },
      // Only the optical mosaic was built: incomplete for the viewer.
      { pad: 'tgn-ss1', legs: 3, perLeg: 4, mosaics: ['optical'], calibration: 'not_calibrated' }
    ]
  },
  {
    site: 'leyte',
    sector: 'tongonan',
    period: '20241115',
    start: '2024-11-15T10:20:00+08:00',
    firstIndex: 1,
    firstDji: 640,
    ambient: 28.9,
    calibrationParams: PRD_CALIBRATION,
    flights: [
      { pad: '105', legs: 3, perLeg: 4, mosaics: [], calibration: 'not_calibrated', noProcessingStatus: true },
      { pad: '2', legs: 3, perLeg: 4, mosaics: VIEWER, calibration: 'not_calibrated' }
    ]
  },
  {
    site: 'leyte',
    sector: 'mahanagdong-a',
    period: '20250115',
    start: '2025-01-15T08:30:00+08:00',
    firstIndex: 1,
    firstDji: 104,
    ambient: 24.1,
    calibrationParams: { emissivity: 0.93, distance: 28.0, reflection: 24.0, ambient_temp: 24.0, humidity: 72.0 },
    flights: [
      { pad: 'MG-5D', legs: 3, perLeg: 4, mosaics: VIEWER, calibration: 'calibrated' },
      { pad: 'MG-22D', legs: 3, perLeg: 4, mosaics: ALL, calibration: 'mixed' }
    ]
  },
  {
    site: 'leyte',
    sector: 'mahanagdong-a',
    period: '20241120',
    start: '2024-11-20T09:10:00+08:00',
    firstIndex: 1,
    firstDji: 880,
    ambient: 27.2,
    calibrationParams: PRD_CALIBRATION,
    flights: [{ pad: 'MG-5D', legs: 3, perLeg: 4, mosaics: VIEWER, calibration: 'not_calibrated' }]
  },
  {
    site: 'leyte',
    sector: 'mahanagdong-b',
    period: '20250116',
    start: '2025-01-16T08:15:00+08:00',
    firstIndex: 1,
    firstDji: 220,
    ambient: 23.6,
    calibrationParams: { emissivity: 0.93, distance: 28.0, reflection: 24.0, ambient_temp: 24.0, humidity: 75.0 },
    flights: [{ pad: 'MG-14D', legs: 3, perLeg: 4, mosaics: VIEWER, calibration: 'calibrated' }]
  },
  {
    site: 'leyte',
    sector: 'mahanagdong-b',
    period: '20241121',
    start: '2024-11-21T08:50:00+08:00',
    firstIndex: 1,
    firstDji: 910,
    ambient: 26.9,
    calibrationParams: PRD_CALIBRATION,
    flights: [{ pad: 'MG-14D', legs: 3, perLeg: 3, mosaics: ['optical'], calibration: 'not_calibrated' }]
  },
  {
    site: 'leyte',
    sector: 'malitbog',
    period: '20250210',
    start: '2025-02-10T09:00:00+08:00',
    firstIndex: 1,
    firstDji: 1204,
    ambient: 28.3,
    calibrationParams: { emissivity: 0.94, distance: 30.0, reflection: 28.0, ambient_temp: 28.0, humidity: 60.0 },
    flights: [
      { pad: 'MB-1', legs: 3, perLeg: 4, mosaics: VIEWER, calibration: 'calibrated' },
      { pad: 'MB-3', legs: 3, perLeg: 4, mosaics: ALL, calibration: 'mixed' }
    ]
  },
  {
    site: 'leyte',
    sector: 'malitbog',
    period: '20241205',
    start: '2024-12-05T09:40:00+08:00',
    firstIndex: 1,
    firstDji: 310,
    ambient: 27.7,
    calibrationParams: PRD_CALIBRATION,
    flights: [{ pad: 'MB-1', legs: 2, perLeg: 5, mosaics: ['optical'], calibration: 'not_calibrated' }]
  }
]

// ---------------------------------------------------------------------------

const pad4 = (n: number) => String(n).padStart(4, '0')

/** The real ODM flight (394 shots) behind the demo's `upper-rhine_insheim_PAD_A1`. */
export function insheimShotsPath(): string {
  return join(packageRoot, 'src', 'seed', 'data', 'insheim-shots.geojson')
}

interface ShotFeature {
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
  geometry: { type: 'Point'; coordinates: [number, number, number] }
}

function shotFeature(
  filename: string,
  cam: typeof OPTICAL_CAMERA,
  captureTime: number,
  lon: number,
  lat: number,
  alt: number,
  rotation: [number, number, number]
): ShotFeature {
  const utm = toUtm(lon, lat)
  return {
    type: 'Feature',
    properties: {
      filename,
      camera: cam.camera,
      focal: cam.focal,
      width: cam.width,
      height: cam.height,
      capture_time: captureTime,
      translation: [utm.easting, utm.northing, alt],
      rotation
    },
    geometry: { type: 'Point', coordinates: [lon, lat, alt] }
  }
}

/** Radiometric correction of an apparent temperature (°C) for emissivity, reflection and a humid air path. */
function calibrate(tempC: number, p: PeriodDef['calibrationParams']): number {
  const K = 273.15
  const tau = Math.exp(-p.distance * (0.0012 + 0.000016 * p.humidity))
  const w = (tempC + K) ** 4
  const wRefl = (p.reflection + K) ** 4
  const wAtm = (p.ambient_temp + K) ** 4
  const wObj = (w - tau * (1 - p.emissivity) * wRefl - (1 - tau) * wAtm) / (tau * p.emissivity)
  return Math.max(wObj, 0) ** 0.25 - K
}

interface Builder {
  pads: Record<string, unknown>[]
  images: Record<string, unknown>[]
  jobs: Record<string, unknown>[]
  objects: Map<string, DemoObject>
  jpegs: ReturnType<typeof cameraJpegSet>
}

function addObject(b: Builder, key: string, body: Uint8Array, contentType: string): void {
  b.objects.set(key, { key, body, contentType })
}

function padItem(def: PadDef): Record<string, unknown> {
  const id = padId(def.site, def.sector, def.name)
  const item: Record<string, unknown> = { pad_id: id }
  if (def.quirk === 'site_id') {
    item.site_id = def.site
    item.sector_id = def.sector
  } else if (def.quirk !== 'orphan') {
    item.site = def.site
    item.sector = def.sector
  }
  item.site_sector = `${def.site}_${def.sector}`
  if (def.quirk !== 'no_pad_name') item.pad_name = def.name
  item.effective_date = def.effectiveDate
  item.geo_location_area = def.polygon.map(([lon, lat]) => [lon, lat])
  return item
}

function bboxOf(polygon: LonLat[]) {
  const lons = polygon.map((p) => p[0])
  const lats = polygon.map((p) => p[1])
  return { west: Math.min(...lons), south: Math.min(...lats), east: Math.max(...lons), north: Math.max(...lats) }
}

function mosaicPrefix(site: string, sector: string, period: string, pad: string, type: MosaicType): string {
  return `mosaics/${site}/${sector}/${period}/${pad}/${type}/viewer`
}

function addMosaic(
  b: Builder,
  prefix: string,
  padIdValue: string,
  type: MosaicType,
  polygon: LonLat[],
  features: ShotFeature[] | string
): void {
  const geojson = typeof features === 'string' ? features : JSON.stringify({ type: 'FeatureCollection', features })
  addObject(b, `${prefix}/odm_orthophoto.tif`, orthophotoTiff(padIdValue, type, polygon), 'image/tiff')
  addObject(b, `${prefix}/shots.geojson`, new TextEncoder().encode(geojson), 'application/geo+json')
}

/** Camera thermal metadata with DJI's default radiometric parameters; shared with the scale dataset. */
export function thermalMetadata(min: number, max: number, avg: number) {
  return {
    temperature_min: round(min, 1),
    temperature_max: round(max, 1),
    temperature_avg: round(avg, 2),
    // DJI's defaults, as written in the R-JPEG EXIF.
    emissivity: 1.0,
    object_distance: 5.0,
    reflected_temperature: 25.0,
    ambient_temperature: 20.0,
    relative_humidity: 70.0
  }
}

function calibrationBlock(
  status: 'calibrated' | 'not_calibrated',
  params: PeriodDef['calibrationParams'],
  max: number,
  avg: number
): Record<string, unknown> {
  if (status === 'not_calibrated') return { status }
  return {
    status,
    params: { ...params },
    temperature_delta: {
      max_calibrated: round(calibrate(round(max, 1), params), 1),
      avg_calibrated: round(calibrate(round(avg, 2), params), 2)
    }
  }
}

/** Image files, colored renderings and the item; returns the keys of the mosaic_prep block. */
function imageItem(
  b: Builder,
  args: {
    site: string
    sector: string
    period: string
    pad: string
    index: number
    opticalFilename: string
    thermalFilename: string
    lon: number
    lat: number
    alt: number
    temps: { min: number; max: number; avg: number }
    calibration: Record<string, unknown>
    mosaics: MosaicType[] | null
    palettes: Array<'medical' | 'hotspot_alert'>
  }
): Record<string, unknown> {
  const { site, sector, period } = args
  const folder = `${site}/${sector}/${period}`
  const imageId = `${site}_${sector}_${period}_${pad4(args.index)}`
  const variant = hashString(imageId) % b.jpegs.optical.length
  const opticalKey = `images/${folder}/${args.opticalFilename}`
  const thermalKey = `images/${folder}/${args.thermalFilename}`
  addObject(b, opticalKey, b.jpegs.optical[variant]!, 'image/jpeg')
  addObject(b, thermalKey, b.jpegs.thermal[variant]!, 'image/jpeg')
  const thermalBase = args.thermalFilename.replace(/\.jpe?g$/i, '')
  const colored: Record<string, string> = {}
  for (const palette of args.palettes) {
    const key = `colored/${folder}/${thermalBase}_${palette}.JPG`
    colored[palette] = key
    addObject(b, key, b.jpegs[palette][variant]!, 'image/jpeg')
  }
  const item: Record<string, unknown> = {
    image_id: imageId,
    site_id: site,
    sector_id: sector,
    period,
    pad_id: args.pad,
    sector_period: `${sector}#${period}`,
    optical_filename: args.opticalFilename,
    thermal_filename: args.thermalFilename,
    optical_s3_key: opticalKey,
    thermal_s3_key: thermalKey,
    colored_images: colored,
    optical_metadata: { gps_location: { latitude: args.lat, longitude: args.lon, altitude: args.alt } },
    thermal_metadata: thermalMetadata(args.temps.min, args.temps.max, args.temps.avg),
    calibration: args.calibration
  }
  if (args.mosaics) {
    const keys: Record<string, string> = {}
    for (const type of args.mosaics) keys[type] = mosaicPrefix(site, sector, period, args.pad, type)
    item.processing_status = { mosaic_prep: { included_in: [...args.mosaics], mosaic_s3_keys: keys } }
  }
  return item
}

function buildLeyte(b: Builder): void {
  const padDefs = new Map(PADS.map((p) => [`${p.sector}/${p.name}`, p]))

  for (const period of PERIODS) {
    let index = period.firstIndex
    let dji = period.firstDji
    let clock = Date.parse(period.start) / 1000

    for (const flight of period.flights) {
      const def = padDefs.get(`${period.sector}/${flight.pad}`)
      if (!def) throw new Error(`unknown pad ${period.sector}/${flight.pad}`)
      const pid = padId(def.site, def.sector, def.name)
      if (flight.firstIndex !== undefined) index = flight.firstIndex
      if (flight.firstDji !== undefined) dji = flight.firstDji
      const rnd = prng(hashString(`${pid}/${period.period}`))
      const gauss = () => (rnd() + rnd() + rnd() - 1.5) * 0.8 // ≈ N(0, 0.4)

      // Pad frame: centre, along-axis length and across width (m) from the polygon.
      const box = bboxOf(def.polygon)
      const center: LonLat = [(box.west + box.east) / 2, (box.south + box.north) / 2]
      const m = metresPerDegree(center[1])
      const a = (def.axis * Math.PI) / 180
      const along = [Math.sin(a), Math.cos(a)] as const
      const across = [Math.cos(a), -Math.sin(a)] as const
      let halfLength = 0
      let halfWidth = 0
      for (const [lon, lat] of def.polygon) {
        const e = (lon - center[0]) * m.lon
        const n = (lat - center[1]) * m.lat
        halfLength = Math.max(halfLength, Math.abs(e * along[0] + n * along[1]))
        halfWidth = Math.max(halfWidth, Math.abs(e * across[0] + n * across[1]))
      }
      // The hot wellhead sits near the pad centre: frames that see it have a high maximum.
      const wellhead = offsetLonLat(center[0], center[1], (rnd() - 0.5) * 10, (rnd() - 0.5) * 10)

      const opticalShots: ShotFeature[] = []
      const thermalShots: ShotFeature[] = []
      const hotspotShots: ShotFeature[] = []
      const total = flight.legs * flight.perLeg

      for (let j = 0; j < total; j++) {
        const leg = Math.floor(j / flight.perLeg)
        const k = j % flight.perLeg
        const forward = leg % 2 === 0
        // Legs run along the pad axis, stepping across it; boustrophedon ordering.
        const s = flight.perLeg === 1 ? 0 : -halfLength + (2 * halfLength * k) / (flight.perLeg - 1)
        const t = flight.legs === 1 ? 0 : -halfWidth + (2 * halfWidth * leg) / (flight.legs - 1)
        const alongPos = forward ? s : -s
        const east = alongPos * along[0] + t * across[0]
        const north = alongPos * along[1] + t * across[1]
        let [lon, lat] = offsetLonLat(center[0], center[1], east, north)
        const heading = (def.axis + (forward ? 0 : 180) + gauss() * 3) % 360
        let alt = def.ground + AGL + gauss()

        const index4 = index + j
        const w = dji + 2 * j
        const opticalFilename = `DJI_${pad4(w)}_W.JPG`
        const thermalFilename = `DJI_${pad4(w + 1)}_T.JPG`
        const imageId = `${def.site}_${def.sector}_${period.period}_${pad4(index4)}`
        const captureTime = clock + j * SHOT_INTERVAL_S + leg * LEG_TURN_S

        // Apparent temperatures (°C) of the frame.
        const dWell = Math.hypot((lon - wellhead[0]) * m.lon, (lat - wellhead[1]) * m.lat)
        const seesWellhead = dWell < 16
        let max = seesWellhead ? 96 + rnd() * 38 - dWell : period.ambient + 14 + rnd() * 22
        let min = period.ambient - 4.5 + rnd() * 2.5
        let avg = period.ambient + 0.6 + rnd() * 2.2 + (seesWellhead ? 1.2 : 0)

        let status: 'calibrated' | 'not_calibrated' =
          flight.calibration === 'mixed' ? (j % 5 === 2 ? 'not_calibrated' : 'calibrated') : flight.calibration
        let calibration: Record<string, unknown>
        lon = round(lon, 7)
        lat = round(lat, 7)
        alt = round(alt, 1)
        if (imageId === DEMO.prdImageId) {
          // The PRD's example record, value for value.
          if (opticalFilename !== 'DJI_0380_W.JPG' || thermalFilename !== 'DJI_0381_T.JPG' || pid !== 'leyte_tongonan_PAD_105') {
            throw new Error(`demo layout drifted: ${imageId} is ${opticalFilename}/${thermalFilename} in ${pid}`)
          }
          lon = 124.635123
          lat = 11.165456
          alt = 445.5
          min = 22.7
          max = 131.6
          avg = 27.89
          status = 'calibrated'
          calibration = {
            status,
            params: { ...PRD_CALIBRATION },
            temperature_delta: { max_calibrated: 145.3, avg_calibrated: 28.54 }
          }
        } else {
          calibration = calibrationBlock(status, period.calibrationParams, max, avg)
        }

        const lacksHotspot = imageId === DEMO.noHotspotImageId
        const mosaics = flight.noProcessingStatus
          ? null
          : flight.mosaics.filter((type) => !(lacksHotspot && type === 'hotspot_alert'))
        b.images.push(
          imageItem(b, {
            site: def.site,
            sector: def.sector,
            period: period.period,
            pad: pid,
            index: index4,
            opticalFilename,
            thermalFilename,
            lon,
            lat,
            alt,
            temps: { min, max, avg },
            calibration,
            mosaics,
            palettes: lacksHotspot ? ['medical'] : ['medical', 'hotspot_alert']
          })
        )

        // ODM's reconstructed poses differ slightly from the GPS tags.
        const exact = imageId === DEMO.prdImageId
        const jitter = (): [number, number, number] => {
          if (exact) return [lon, lat, alt]
          const [jl, jt] = offsetLonLat(lon, lat, gauss() * 0.6, gauss() * 0.6)
          return [jl, jt, alt + gauss() * 0.8]
        }
        const [olon, olat, oalt] = jitter()
        opticalShots.push(
          shotFeature(opticalFilename, OPTICAL_CAMERA, captureTime, olon, olat, oalt, nadirRotationVector(heading, gauss(), gauss()))
        )
        if (mosaics?.includes('medical') || mosaics?.includes('hotspot_alert')) {
          const [tlon, tlat, talt] = jitter()
          const feature = shotFeature(thermalFilename, THERMAL_CAMERA, captureTime, tlon, tlat, talt, nadirRotationVector(heading, gauss(), gauss()))
          if (mosaics.includes('medical')) thermalShots.push(feature)
          if (mosaics.includes('hotspot_alert')) hotspotShots.push(feature)
        }
      }

      if (pid === 'leyte_tongonan_PAD_105' && period.period === '20241230') {
        // Two re-flown frames over the wellhead that never made it into the images table.
        const last = dji + 2 * (total - 1)
        DEMO.unmatchedShotFilenames.forEach((filename, i) => {
          if (filename !== `DJI_${pad4(last + 2 + 2 * i)}_W.JPG`) throw new Error(`demo layout drifted: ${filename}`)
          const [lon, lat] = offsetLonLat(wellhead[0], wellhead[1], (i - 0.5) * 8, 3)
          const time = clock + total * SHOT_INTERVAL_S + flight.legs * LEG_TURN_S + 40 + i * SHOT_INTERVAL_S
          opticalShots.push(
            shotFeature(filename, OPTICAL_CAMERA, time, lon, lat, def.ground + AGL + 0.4, nadirRotationVector(def.axis + 180, gauss(), gauss()))
          )
        })
      }

      const builtMosaics = flight.mosaics
      for (const type of builtMosaics) {
        const features = type === 'optical' ? opticalShots : type === 'medical' ? thermalShots : hotspotShots
        const prefix = mosaicPrefix(def.site, def.sector, period.period, pid, type)
        addMosaic(b, prefix, pid, type, def.polygon, features)
        if (period.period === '20241230' && def.sector === 'tongonan') {
          b.jobs.push({
            job_id: `mosaic-${pid}-${period.period}-${type}`,
            job_type: 'mosaic_prep',
            status: 'COMPLETED',
            site_id: def.site,
            sector_id: def.sector,
            period: period.period,
            pad_id: pid,
            mosaic_type: type,
            image_count: features.length,
            output_s3_prefix: prefix,
            created_at: new Date((clock + 6 * 3600) * 1000).toISOString(),
            completed_at: new Date((clock + 6 * 3600 + 1380) * 1000).toISOString()
          })
        }
      }
      if (period.period === '20241230' && pid === 'leyte_tongonan_PAD_tgn-ss1') {
        b.jobs.push({
          job_id: `mosaic-${pid}-${period.period}-medical`,
          job_type: 'mosaic_prep',
          status: 'FAILED',
          site_id: def.site,
          sector_id: def.sector,
          period: period.period,
          pad_id: pid,
          mosaic_type: 'medical',
          image_count: total,
          error_message: 'ODM: not enough overlapping thermal frames to reconstruct (12 images)',
          created_at: new Date((clock + 6 * 3600) * 1000).toISOString()
        })
      }

      index += total
      dji += 2 * total + 8 // a few frames taken in transit between pads
      clock += total * SHOT_INTERVAL_S + flight.legs * LEG_TURN_S + 300
    }
  }
}

interface InsheimFeature {
  type: 'Feature'
  properties: { filename: string; capture_time: number; translation: number[]; rotation: number[] } & Record<string, unknown>
  geometry: { type: 'Point'; coordinates: number[] }
}

function buildInsheim(b: Builder): void {
  const site = 'upper-rhine'
  const sector = 'insheim'
  const period = DEMO.insheimPeriod
  const pid = DEMO.insheimPadId
  const raw = readFileSync(insheimShotsPath(), 'utf8')
  const shots = JSON.parse(raw) as { type: string; features: InsheimFeature[] }

  const lons = shots.features.map((f) => f.geometry.coordinates[0]!)
  const lats = shots.features.map((f) => f.geometry.coordinates[1]!)
  const [west, south] = offsetLonLat(Math.min(...lons), Math.min(...lats), -15, -15)
  const [east, north] = offsetLonLat(Math.max(...lons), Math.max(...lats), 15, 15)
  const polygon: LonLat[] = [
    [round(west, 6), round(south, 6)],
    [round(east, 6), round(south, 6)],
    [round(east, 6), round(north, 6)],
    [round(west, 6), round(north, 6)],
    [round(west, 6), round(south, 6)]
  ]
  b.pads.push({
    pad_id: pid,
    site,
    sector,
    site_sector: `${site}_${sector}`,
    pad_name: 'A1',
    effective_date: '20230101',
    geo_location_area: polygon
  })

  // A warm spot (a buried brine line) near the middle of the survey.
  const hot: LonLat = [(west + east) / 2, (south + north) / 2]
  const m = metresPerDegree(hot[1])
  const params = { emissivity: 0.95, distance: 35.0, reflection: 30.0, ambient_temp: 29.0, humidity: 45.0 }
  const mosaics: MosaicType[] = ['optical', 'medical']
  const thermalName = (f: string) => f.replace(/\.(jpe?g)$/i, '_T.$1')

  for (const f of shots.features) {
    const filename = f.properties.filename
    const number = Number(/(\d+)/.exec(filename)?.[1] ?? NaN)
    if (!Number.isFinite(number)) throw new Error(`unexpected Insheim filename ${filename}`)
    const [lon = 0, lat = 0] = f.geometry.coordinates
    const rnd = prng(hashString(filename))
    const d = Math.hypot((lon - hot[0]) * m.lon, (lat - hot[1]) * m.lat)
    const max = d < 25 ? 78 + rnd() * 16 - d * 0.4 : 44 + rnd() * 18
    const min = 20.5 + rnd() * 4
    const avg = 31 + rnd() * 5
    const status = number % 3 === 0 ? 'not_calibrated' : 'calibrated'
    b.images.push(
      imageItem(b, {
        site,
        sector,
        period,
        pad: pid,
        index: number,
        opticalFilename: filename,
        thermalFilename: thermalName(filename),
        lon: round(lon, 7),
        lat: round(lat, 7),
        alt: round(f.properties.translation[2] ?? 0, 1),
        temps: { min, max, avg },
        calibration: calibrationBlock(status, params, max, avg),
        mosaics,
        palettes: ['medical', 'hotspot_alert']
      })
    )
  }

  // The optical shots.geojson is the real file, byte for byte; the medical one has the thermal names.
  addMosaic(b, mosaicPrefix(site, sector, period, pid, 'optical'), pid, 'optical', polygon, raw)
  const thermal = shots.features.map((f) => ({ ...f, properties: { ...f.properties, filename: thermalName(f.properties.filename) } }))
  addMosaic(b, mosaicPrefix(site, sector, period, pid, 'medical'), pid, 'medical', polygon, thermal as unknown as ShotFeature[])
}

export function buildDemoDataset(): DemoDataset {
  const b: Builder = { pads: [], images: [], jobs: [], objects: new Map(), jpegs: cameraJpegSet(4) }
  for (const def of PADS) b.pads.push(padItem(def))
  buildLeyte(b)
  buildInsheim(b)
  b.jobs.push({
    job_id: 'calibration-leyte_tongonan-20241230',
    job_type: 'thermal_calibration',
    status: 'COMPLETED',
    site_id: 'leyte',
    sector_id: 'tongonan',
    period: '20241230',
    params: { ...PRD_CALIBRATION },
    image_count: b.images.filter((i) => i.sector_period === 'tongonan#20241230').length,
    created_at: '2024-12-30T07:12:44.000Z',
    completed_at: '2024-12-30T07:31:02.000Z'
  })

  const ids = new Set<string>()
  for (const image of b.images) {
    const id = image.image_id as string
    if (ids.has(id)) throw new Error(`duplicate image id ${id}`)
    ids.add(id)
  }
  return withLineLossDemo({ pads: b.pads, images: b.images, jobs: b.jobs, objects: [...b.objects.values()] })
}
