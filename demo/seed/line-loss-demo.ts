import { deflateSync } from 'node:zlib'
import { renderLineLossPdf } from '../../src/domain/line-loss-pdf.js'
import { reportCsv, surveyReport } from '../../src/domain/line-loss-report.js'
import { PALETTES } from '../../schemas/common.js'
import type { Pad } from '../../schemas/discovery.js'
import { normalisePad } from '../../src/domain/pads.js'
import type { ImageRecord, MeasurementItem } from '../../src/domain/records.js'
import { ironbow, ORTHO_SIZE, orthophotoExtent, padPipeline } from './assets.js'
import type { DatasetBuilder, DemoObject } from './dataset-builder.js'
import type { LonLat } from './flight-geometry.js'
import { offsetLonLat, round } from './geo.js'
import { lonLatRing } from './records.js'
import { cameraTemperatures } from './temperatures.js'

/**
 * The line-loss part of the demo: PipeMeasure items of the measurements table,
 * pre-generated reports, colour-bar legends and the dataset temperature range of
 * one survey. Built from the pads and images of the rest of the demo, so the
 * regions lie on the pipeline that the pads' orthophotos show.
 */

/** Ids worth knowing in tests and demos. */
export const LINE_LOSS_DEMO = {
  site: 'leyte',
  sector: 'tongonan',
  /** Pads 2, 10 and 105 are measured; tgn-ss1 is not. Reports: PDF, CSV and the visual PDF. */
  period: '20241230',
  measuredPads: ['leyte_tongonan_PAD_2', 'leyte_tongonan_PAD_10', 'leyte_tongonan_PAD_105'],
  unmeasuredPad: 'leyte_tongonan_PAD_tgn-ss1',
  /** One item (PAD_105), a prefix of the next period; reports: PDF and CSV, no visual PDF. */
  prefixPeriod: '20250228',
  /** One item (tgn-ss1), only measured by PipeMeasure; reports: the PDF alone. */
  suffixedPeriod: '20250228-PMSB',
  /** The measured pad whose item stores no pipe diameter: its heat loss is null, with the reason. */
  noDiameterPad: 'leyte_tongonan_PAD_10',
  /** A PipeMeasure item's region without a polygon (a Point in GeoJSON). */
  pointRegionPad: 'leyte_tongonan_PAD_2',
  /** Images with colour bars in both palettes: every image of PAD_105 in the measured period. */
  colorbarPad: 'leyte_tongonan_PAD_105',
  reportDate: '2025-01-06'
} as const

/** Regions per measured pad and period: the defect the orthophoto shows, plus milder ones along the pipe. */
const SURVEYS: { period: string; pads: Record<string, number> }[] = [
  { period: LINE_LOSS_DEMO.period, pads: { leyte_tongonan_PAD_105: 3, leyte_tongonan_PAD_10: 1, leyte_tongonan_PAD_2: 2 } },
  { period: LINE_LOSS_DEMO.prefixPeriod, pads: { leyte_tongonan_PAD_105: 1 } },
  { period: LINE_LOSS_DEMO.suffixedPeriod, pads: { 'leyte_tongonan_PAD_tgn-ss1': 6 } }
]

/**
 * Outer diameter of each pad's pipe cladding (m), as PipeMeasure stores it with a measurement: PAD_105 and
 * tgn-ss1 carry steam lines, PAD_2 a brine line. PAD_10 has none, to show the heat loss's `null` path.
 */
const PIPE_DIAMETERS_M: Readonly<Record<string, number>> = {
  leyte_tongonan_PAD_105: 0.6,
  leyte_tongonan_PAD_2: 0.35,
  'leyte_tongonan_PAD_tgn-ss1': 0.45
}

/** Extra regions: metres along the pipe past the defect, length, and the peak temperature. */
const MILD = [
  { at: 6.5, length: 2.4, max: 68.2 },
  { at: 10.5, length: 1.6, max: 61.7 },
  { at: 14, length: 3.1, max: 64.9 },
  { at: 18.5, length: 1.2, max: 58.3 },
  { at: 22, length: 2.2, max: 60.1 }
]
const PIPE_WIDTH = 1.8

function rectangleAlong(from: LonLat, direction: number, start: number, length: number): LonLat[] {
  const [dx, dy] = [Math.sin(direction), Math.cos(direction)]
  const [nx, ny] = [dy, -dx]
  const half = PIPE_WIDTH / 2
  const corner = (s: number, w: number): LonLat => {
    const [lon, lat] = offsetLonLat(from[0], from[1], s * dx + w * nx, s * dy + w * ny)
    return [round(lon, 7), round(lat, 7)]
  }
  const ring = [corner(start, -half), corner(start + length, -half), corner(start + length, half), corner(start, half)]
  return [...ring, ring[0]!]
}

function pixelBox(polygon: LonLat[], pad: LonLat[]): number[] {
  const extent = orthophotoExtent(pad)
  const xs = polygon.map(([lon]) => ((lon - extent.west) / (extent.east - extent.west)) * ORTHO_SIZE.width)
  const ys = polygon.map(([, lat]) => ((extent.north - lat) / (extent.north - extent.south)) * ORTHO_SIZE.height)
  return [Math.floor(Math.min(...xs)), Math.floor(Math.min(...ys)), Math.ceil(Math.max(...xs)), Math.ceil(Math.max(...ys))]
}

function measurementItem(pad: Pad, polygon: LonLat[], period: string, regionCount: number, withPoint: boolean): MeasurementItem {
  const pipe = padPipeline(polygon, pad.pad_id)
  const defect = { at: pipe.spot - pipe.spotRadius, length: 2 * pipe.spotRadius, max: pipe.hot }
  const regions = [defect, ...MILD].slice(0, regionCount).map((r, i) => {
    const ring = rectangleAlong(pipe.centroid, pipe.direction, r.at, r.length)
    const [lon, lat] = offsetLonLat(
      pipe.centroid[0],
      pipe.centroid[1],
      (r.at + r.length / 2) * Math.sin(pipe.direction),
      (r.at + r.length / 2) * Math.cos(pipe.direction)
    )
    const centroid: LonLat = [round(lon, 7), round(lat, 7)]
    const region = {
      region_id: i + 1,
      length_m: round(r.length, 2),
      area_m2: round(r.length * PIPE_WIDTH, 2),
      perimeter_m: round(2 * (r.length + PIPE_WIDTH), 2),
      max_temp_c: r.max,
      // A linear fall-off from the peak to the threshold averages a third of the way down.
      mean_temp_c: round(r.max - (r.max - pipe.threshold) / 3, 1),
      centroid,
      pixel_bbox: pixelBox(ring, polygon)
    }
    return withPoint && i === regionCount - 1 ? region : { ...region, polygon: ring }
  })
  const all = regions.flatMap((r) => ('polygon' in r ? r.polygon : [r.centroid]))
  const total = (field: 'length_m' | 'area_m2' | 'perimeter_m') =>
    round(
      regions.reduce((a, r) => a + r[field], 0),
      2
    )
  const [site, sector] = [LINE_LOSS_DEMO.site, LINE_LOSS_DEMO.sector]
  const diameter = PIPE_DIAMETERS_M[pad.pad_id]
  return {
    measurement_id: `${site}_${sector}_${period}_${pad.pad_id}`,
    site_id: site,
    sector_period_pad: `${sector}#${period}#${pad.pad_id}`,
    pad_id: pad.pad_id,
    period,
    aggregate_stats: {
      total_regions: regions.length,
      total_length_m: total('length_m'),
      total_area_m2: total('area_m2'),
      total_perimeter_m: total('perimeter_m')
    },
    region_measurements: regions,
    geo_bounds: {
      min_lon: Math.min(...all.map((p) => p[0])),
      min_lat: Math.min(...all.map((p) => p[1])),
      max_lon: Math.max(...all.map((p) => p[0])),
      max_lat: Math.max(...all.map((p) => p[1]))
    },
    processing_params: {
      temperature_threshold_c: pipe.threshold,
      min_region_area_m2: 0.5,
      source_mosaic: 'hotspot_alert',
      ...(diameter === undefined ? {} : { pipe_outer_diameter_m: diameter })
    },
    // Written by PipeMeasure and unknown to this API: it must pass through.
    pipeline_version: 'pipemeasure-1.4.2'
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/** A vertical legend, hottest at the top, in the palette's colours (RGB PNG). */
export function colorbarPng(palette: 'medical' | 'hotspot_alert', width = 24, height = 256): Uint8Array {
  const rows: Buffer[] = []
  for (let y = 0; y < height; y++) {
    const t = 1 - y / (height - 1)
    const g = 25 + t * 215
    // hotspot_alert: grey scale, with the top fifth (above the alert threshold) red to yellow.
    const rgb = palette === 'medical' ? ironbow(t) : t >= 0.8 ? [255, 40 + ((t - 0.8) / 0.2) * 200, 20] : [g, g, g]
    const row = Buffer.alloc(1 + width * 3)
    for (let x = 0; x < width; x++) row.set(rgb.map(Math.round), 1 + x * 3)
    rows.push(row)
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([8, 2, 0, 0, 0], 8)
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  return Buffer.concat([
    signature,
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.concat(rows))),
    pngChunk('IEND', Buffer.alloc(0))
  ])
}

/** The span the medical palette was normalised to across the survey, on each of its images. */
function addTemperatureRange(images: ImageRecord[], period: string): void {
  const survey = images.filter((i) => i.sector_period === `${LINE_LOSS_DEMO.sector}#${period}` && i.site_id === LINE_LOSS_DEMO.site)
  const camera = survey.map(cameraTemperatures)
  const stats = {
    min_temp_c: Math.min(...camera.map((t) => t.min)),
    max_temp_c: Math.max(...camera.map((t) => t.max)),
    mean_temp_c: round(camera.reduce((a, t) => a + t.avg, 0) / camera.length, 2),
    normalization: 'dataset_min_max',
    sample_size: camera.length
  }
  for (const image of survey) {
    image.processing_status = { ...image.processing_status, colormapping: { medical: { temperature_stats: stats } } }
  }
}

/** Rendered once per process: the bytes are the same every time, and tests build the dataset again beside the app. */
const renderedReports = new Map<string, DemoObject[]>()

function reportObjects(pads: Pad[], measurements: MeasurementItem[], period: string, files: ('pdf' | 'csv' | 'visual')[]): DemoObject[] {
  const cached = renderedReports.get(period)
  if (cached) return cached
  const { site, sector, reportDate } = LINE_LOSS_DEMO
  const report = surveyReport(
    { site, sector, period, date: reportDate },
    pads,
    measurements.filter((m) => m.period === period)
  )
  const prefix = `outputs/${site}/${sector}/${period}/reports/`
  const pdf = renderLineLossPdf(report)
  const objects: Record<string, DemoObject> = {
    pdf: { key: `${prefix}line-loss-report.pdf`, body: pdf, contentType: 'application/pdf' },
    csv: { key: `${prefix}line-loss-report.csv`, body: Buffer.from(reportCsv(report)), contentType: 'text/csv' },
    visual: { key: `${prefix}line-loss-visual-report.pdf`, body: pdf, contentType: 'application/pdf' }
  }
  const result = files.map((f) => objects[f]!)
  renderedReports.set(period, result)
  return result
}

/** Adds the measurements, reports, colour bars and the temperature range to a dataset with the Leyte pads and surveys. */
export function lineLossDemo(b: DatasetBuilder): void {
  const pads = b.pads.flatMap((item) => {
    const result = normalisePad(item)
    const inSector = item.site_sector === `${LINE_LOSS_DEMO.site}_${LINE_LOSS_DEMO.sector}`
    return inSector && 'pad' in result ? [result.pad] : []
  })
  const byId = new Map(pads.map((p) => [p.pad_id, p]))
  const measurements = SURVEYS.flatMap(({ period, pads: counts }) =>
    Object.entries(counts).map(([padId, count]) => {
      const pad = byId.get(padId)!
      const polygon = lonLatRing(pad.geo_location_area, padId)
      return measurementItem(pad, polygon, period, count, padId === LINE_LOSS_DEMO.pointRegionPad && period === LINE_LOSS_DEMO.period)
    })
  )
  b.measurements.push(...measurements)

  addTemperatureRange(b.images, LINE_LOSS_DEMO.period)
  for (const palette of PALETTES) {
    const png = colorbarPng(palette)
    for (const i of b.images) {
      if (i.pad_id !== LINE_LOSS_DEMO.colorbarPad || i.period !== LINE_LOSS_DEMO.period) continue
      const name = String(i.thermal_filename).replace(/\.[A-Za-z0-9]+$/, '')
      b.addObject(
        `colored/${palette}/${LINE_LOSS_DEMO.site}/${LINE_LOSS_DEMO.sector}/${LINE_LOSS_DEMO.period}/${name}_colorbar.png`,
        png,
        'image/png'
      )
    }
  }
  b.addObjects([
    ...reportObjects(pads, measurements, LINE_LOSS_DEMO.period, ['pdf', 'csv', 'visual']),
    ...reportObjects(pads, measurements, LINE_LOSS_DEMO.prefixPeriod, ['pdf', 'csv']),
    ...reportObjects(pads, measurements, LINE_LOSS_DEMO.suffixedPeriod, ['pdf'])
  ])
}
