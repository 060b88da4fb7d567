import { OBJECT_ID_PATTERN, PERIOD_PATTERN, SITE_PATTERN, type MosaicType, MOSAIC_TYPES } from '../../schemas/common.js'

const SITE = new RegExp(SITE_PATTERN)
const PERIOD = new RegExp(PERIOD_PATTERN)
const OBJECT_ID = new RegExp(OBJECT_ID_PATTERN)

export class InvalidKeyPartError extends Error {
  override name = 'InvalidKeyPartError'
  constructor(readonly parameter: string) {
    super(`invalid ${parameter}`)
  }
}

export interface MosaicLocation {
  site: string
  sector: string
  period: string
  pad_id: string
}

/**
 * The request schemas already enforce these patterns; checking again here means
 * no caller can build a key from an unvalidated part, whatever route it came from.
 */
function check(value: string, re: RegExp, parameter: string): string {
  if (!re.test(value)) throw new InvalidKeyPartError(parameter)
  return value
}

export function periodPrefix(site: string, sector: string, period: string): string {
  return `mosaics/${check(site, SITE, 'site')}/${check(sector, SITE, 'sector')}/${check(period, PERIOD, 'period')}/`
}

export function mosaicPrefix(loc: MosaicLocation, type: MosaicType): string {
  if (!MOSAIC_TYPES.includes(type)) throw new InvalidKeyPartError('mosaic_type')
  return `${periodPrefix(loc.site, loc.sector, loc.period)}${check(loc.pad_id, OBJECT_ID, 'pad_id')}/${type}/viewer/`
}

export const ORTHOPHOTO = 'odm_orthophoto.tif'
export const SHOTS = 'shots.geojson'

export function orthophotoKey(loc: MosaicLocation, type: MosaicType): string {
  return mosaicPrefix(loc, type) + ORTHOPHOTO
}

export function shotsKey(loc: MosaicLocation, type: MosaicType): string {
  return mosaicPrefix(loc, type) + SHOTS
}

/** Where the upstream Report Agent writes a survey's line-loss reports. */
export function reportsPrefix(site: string, sector: string, period: string): string {
  return `outputs/${check(site, SITE, 'site')}/${check(sector, SITE, 'sector')}/${check(period, PERIOD, 'period')}/reports/`
}

export const REPORT_FILES = {
  pdf: 'line-loss-report.pdf',
  csv: 'line-loss-report.csv',
  visual_pdf: 'line-loss-visual-report.pdf'
} as const

const PALETTE = /^[a-z_]{1,32}$/

/**
 * The colour-bar legend of a thermal image: palette first, then the survey, then
 * the thermal file name without its extension. Built from a stored record, so a
 * part that fails its allow-list means "no colour bar", not a client error.
 */
export function colorbarKey(
  palette: string,
  record: { site_id?: string; sector_id?: string; period?: string; thermal_filename?: string }
): string | undefined {
  const { site_id: site, sector_id: sector, period, thermal_filename: file } = record
  if (!site || !sector || !period || !file) return undefined
  const name = file.replace(/\.[A-Za-z0-9]+$/, '')
  if (!SITE.test(site) || !SITE.test(sector) || !PERIOD.test(period) || !OBJECT_ID.test(name) || !PALETTE.test(palette)) return undefined
  return `colored/${palette}/${site}/${sector}/${period}/${name}_colorbar.png`
}
