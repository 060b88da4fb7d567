import { createHash } from 'node:crypto'

interface HashableDataset {
  pads: readonly Record<string, unknown>[]
  images: readonly Record<string, unknown>[]
  jobs: readonly Record<string, unknown>[]
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
 * Two datasets with the same hash seed byte-identical tables and buckets.
 */
export function datasetHash(chunks: Iterable<HashableDataset>): string {
  const hash = createHash('sha256')
  for (const d of chunks) {
    for (const table of ['pads', 'images', 'jobs'] as const) {
      for (const item of d[table]) hash.update(`${table} ${canonicalJson(item)}\n`)
    }
    for (const o of d.objects) {
      hash.update(`object ${o.key} ${o.contentType} ${createHash('sha256').update(o.body).digest('hex')}\n`)
    }
  }
  return hash.digest('hex')
}
