/**
 * `If-None-Match` with weak comparison (RFC 9110 §13.1.2): any listed tag, or `*`.
 * Shared by the HTTP cache plugin, which answers 304s for the JSON bodies it tags,
 * and the tile service, which answers them for tiles and previews before drawing.
 */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false
  const opaque = etag.startsWith('W/') ? etag.slice(2) : etag
  for (const part of header.split(',')) {
    const tag = part.trim()
    if (tag === '*' || (tag.startsWith('W/') ? tag.slice(2) : tag) === opaque) return true
  }
  return false
}
