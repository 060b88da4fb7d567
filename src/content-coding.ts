/** The codings this service sends (http-cache, @fastify/compress, the viewer's files), in order of preference on a tie. */
export const ENCODINGS = ['br', 'gzip', 'deflate'] as const
export type Encoding = (typeof ENCODINGS)[number]

/** The accepted coding with the highest q (br, then gzip, then deflate on a tie); undefined means identity. */
export function preferredEncoding(header: string | undefined): Encoding | undefined {
  if (!header) return undefined
  let best: Encoding | undefined
  let bestQ = 0
  let wildcard: number | undefined
  const q = new Map<string, number>()
  for (const part of header.toLowerCase().split(',')) {
    const [name = '', ...params] = part.trim().split(';')
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    const value = qParam ? Number(qParam.slice(2)) : 1
    const weight = Number.isFinite(value) ? value : 0
    const coding = name.trim() === 'x-gzip' ? 'gzip' : name.trim()
    if (coding === '*') wildcard = weight
    else q.set(coding, weight)
  }
  for (const coding of ENCODINGS) {
    const weight = q.get(coding) ?? wildcard ?? 0
    if (weight > bestQ) {
      best = coding
      bestQ = weight
    }
  }
  return best
}
