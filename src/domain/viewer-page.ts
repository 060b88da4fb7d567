/**
 * The web viewer's page (viewer/, built to dist-viewer/): which files are served,
 * the settings written into its index.html, and its Content-Security-Policy.
 */

/** Built asset names: Vite's `name-hash.ext`, in assets/ and nowhere deeper. */
const ASSET = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}\.(js|css|svg|png|webp|woff2)$/

const TYPES: Readonly<Record<string, string>> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  webp: 'image/webp',
  woff2: 'font/woff2',
  html: 'text/html; charset=utf-8'
}

/** Whether `name` may be an asset of the build: anything else is never looked up on disk. */
export function isAssetName(name: string): boolean {
  return ASSET.test(name) && !name.includes('..')
}

export function contentType(name: string): string {
  return TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream'
}

/** What the app reads from `<meta name="thermal-viewer-config">` (viewer/src/config.ts). */
export interface ViewerPageConfig {
  /** Where the API is, as seen from the page: BASE_PATH (same origin). */
  apiBaseUrl: string
  basemapStyleUrl: string | null
}

const CONFIG_META = /<meta name="thermal-viewer-config" content="[^"]*"\s*\/?>/

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** index.html with the settings in its config meta tag; a page without the tag is a build this server cannot configure. */
export function injectConfig(html: string, config: ViewerPageConfig): string {
  if (!CONFIG_META.test(html)) throw new Error('index.html has no <meta name="thermal-viewer-config"> to fill in')
  return html.replace(CONFIG_META, `<meta name="thermal-viewer-config" content="${escapeAttribute(JSON.stringify(config))}" />`)
}

/**
 * The page's Content-Security-Policy: its own scripts and styles, MapLibre's workers
 * (blob: URLs), the API (same origin) and the presigned URLs' origin for images, and
 * nothing else. A basemap is any `https:` host's style, sprites and tiles.
 */
export function viewerCsp(opts: { presignedOrigin?: string; basemap: boolean }): string {
  const presigned = opts.presignedOrigin ? [opts.presignedOrigin] : []
  const internet = opts.basemap ? ['https:'] : []
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['base-uri', ["'self'"]],
    ['script-src', ["'self'"]],
    ['script-src-attr', ["'none'"]],
    ['style-src', ["'self'"]],
    ['img-src', ["'self'", 'data:', 'blob:', ...presigned, ...internet]],
    ['connect-src', ["'self'", ...presigned, ...internet]],
    ['worker-src', ["'self'", 'blob:']],
    ['child-src', ['blob:']],
    ['font-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['form-action', ["'self'"]],
    ['frame-ancestors', ["'none'"]]
  ]
  return directives.map(([name, values]) => `${name} ${[...new Set(values)].join(' ')}`).join('; ')
}
