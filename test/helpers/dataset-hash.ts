import { createHash } from 'node:crypto'

interface HashableDataset {
  pads: readonly Record<string, unknown>[]
  images: readonly Record<string, unknown>[]
  jobs: readonly Record<string, unknown>[]
  measurements?: readonly Record<string, unknown>[]
  objects: readonly { key: string; body: Uint8Array; contentType: string }[]
}

/** JSON with object keys sorted at every level, so the hash does not depend on property order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/**
 * One sha256 over a whole dataset, in order: every pad, image and job item as
 * canonical JSON, then every object's key, content type and the sha256 of its body.
 * A GeoTIFF counts by its key and type only: its DEFLATE bytes come from the zlib
 * of the Node that rendered it, which differs between Node releases (the tile tests
 * decode the mosaics themselves).
 */
export function datasetHash(chunks: Iterable<HashableDataset>): string {
  const hash = createHash('sha256')
  for (const d of chunks) {
    for (const table of ['pads', 'images', 'jobs', 'measurements'] as const) {
      for (const item of d[table] ?? []) hash.update(`${table} ${canonicalJson(item)}\n`)
    }
    for (const o of d.objects) {
      const body = o.contentType === 'image/tiff' ? 'deflated' : createHash('sha256').update(o.body).digest('hex')
      hash.update(`object ${o.key} ${o.contentType} ${body}\n`)
    }
  }
  return hash.digest('hex')
}
