/**
 * RFC 7946 checks for the GeoJSON the API sends: a FeatureCollection of
 * Features whose positions are 2 or 3 plain numbers, longitude first and in
 * range, and whose Polygon rings are closed, have at least four positions and
 * run counter-clockwise (exterior). Returns the problems found; none is valid.
 */
export function rfc7946Problems(doc: unknown): string[] {
  const problems: string[] = []
  const fc = doc as { type?: unknown; features?: unknown }
  if (fc?.type !== 'FeatureCollection') problems.push('not a FeatureCollection')
  if (!Array.isArray(fc?.features)) return [...problems, 'features is not an array']
  fc.features.forEach((f: any, i: number) => {
    const at = `features[${i}]`
    if (f?.type !== 'Feature') problems.push(`${at}: type is not Feature`)
    if (typeof f?.properties !== 'object') problems.push(`${at}: no properties object`)
    const g = f?.geometry
    if (g === null) return
    if (g?.type === 'Point') position(g.coordinates, `${at}.geometry`, problems)
    else if (g?.type === 'Polygon') polygon(g.coordinates, `${at}.geometry`, problems)
    else problems.push(`${at}: unexpected geometry ${JSON.stringify(g?.type)}`)
  })
  return problems
}

function position(p: unknown, at: string, problems: string[]): void {
  if (!Array.isArray(p) || p.length < 2 || p.length > 3) return void problems.push(`${at}: a position has 2 or 3 elements`)
  if (!p.every((n) => typeof n === 'number' && Number.isFinite(n))) return void problems.push(`${at}: positions are numbers only`)
  if (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90) problems.push(`${at}: [lon, lat] out of range`)
}

function polygon(rings: unknown, at: string, problems: string[]): void {
  if (!Array.isArray(rings) || rings.length === 0) return void problems.push(`${at}: no rings`)
  rings.forEach((ring: unknown, r: number) => {
    if (!Array.isArray(ring) || ring.length < 4) return void problems.push(`${at}[${r}]: a ring has at least 4 positions`)
    ring.forEach((p) => position(p, `${at}[${r}]`, problems))
    const first = ring[0] as number[]
    const last = ring[ring.length - 1] as number[]
    if (first[0] !== last[0] || first[1] !== last[1]) problems.push(`${at}[${r}]: ring is not closed`)
    let area = 0
    for (let i = 0; i + 1 < ring.length; i++) area += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1]
    if (r === 0 && area <= 0) problems.push(`${at}[0]: exterior ring is not counter-clockwise`)
  })
}
