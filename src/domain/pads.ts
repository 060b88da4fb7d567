import type { Pad } from '../../schemas/discovery.js'
import type { PadItem } from './records.js'

type PadRejection = 'missing pad_id' | 'missing site and site_id' | 'missing sector and sector_id'

/** Site of a pad item: older items carry `site_id` instead of `site`. */
export function padSite(item: PadItem): string | undefined {
  return item.site ?? item.site_id
}

export function padSector(item: PadItem): string | undefined {
  return item.sector ?? item.sector_id
}

export function padNameFromId(padId: string): string {
  const i = padId.lastIndexOf('_PAD_')
  return i >= 0 ? padId.slice(i + '_PAD_'.length) : padId
}

function polygon(value: unknown): number[][] {
  if (!Array.isArray(value)) return []
  return value
    .filter((p): p is unknown[] => Array.isArray(p) && p.length >= 2)
    .map((p) => p.slice(0, 3).map(Number))
    .filter((p) => p.every(Number.isFinite))
}

/**
 * Normalises one pads-table item, or says why it has to be skipped. Items are
 * written by several pipelines and not all of them agree on attribute names.
 */
export function normalisePad(item: PadItem): { pad: Pad } | { rejected: PadRejection } {
  if (!item.pad_id) return { rejected: 'missing pad_id' }
  if (!padSite(item)) return { rejected: 'missing site and site_id' }
  if (!padSector(item)) return { rejected: 'missing sector and sector_id' }
  return {
    pad: {
      pad_id: item.pad_id,
      pad_name: item.pad_name || padNameFromId(item.pad_id),
      geo_location_area: polygon(item.geo_location_area)
    }
  }
}
