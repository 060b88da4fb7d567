import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import zlib from 'node:zlib'
import t from 'tap'
import { buildTestApp } from '../helpers/app.js'

/**
 * Serving the web viewer at /app/: a build's files (a small stand-in build here;
 * test/browser/viewer.test.ts runs the real one), their caching, codings and CSP,
 * BASE_PATH, auth, and a server without a build.
 */

const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4000))})\n`
const INDEX = `<!doctype html><html><head><meta name="thermal-viewer-config" content="{}" /><script type="module" src="./assets/index-AbC123.js"></script></head><body></body></html>`

function fakeBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tv-viewer-build-'))
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), INDEX)
  writeFileSync(join(dir, 'assets', 'index-AbC123.js'), SCRIPT)
  writeFileSync(join(dir, 'assets', 'index-AbC123.css'), 'body{margin:0}')
  return dir
}

const dir = fakeBuild()

t.test('/app/ is the page, with its settings, its own CSP and no-cache', async (t) => {
  const app = await buildTestApp(t, { VIEWER_DIR: dir })
  const res = await app.inject({ url: '/app/', headers: { host: '127.0.0.1:5001' } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(res.headers['cache-control'], 'no-cache')
  t.match(
    res.body,
    '<meta name="thermal-viewer-config" content="{&quot;apiBaseUrl&quot;:&quot;&quot;,&quot;basemapStyleUrl&quot;:null}" />'
  )
  const csp = res.headers['content-security-policy'] as string
  // Presigned URLs point at the store's S3 endpoint: that origin, and no other host, may serve images.
  const presigned = new URL((await app.inject('/api/optical/leyte_tongonan_20241230_0379')).json<{ url: string }>().url).origin
  t.match(csp, `img-src 'self' data: blob: ${presigned};`)
  t.match(csp, "script-src 'self';")
  t.match(csp, "worker-src 'self' blob:;")
  t.match(csp, "frame-ancestors 'none'")
  t.notMatch(csp, 'https:')
  t.equal(res.headers['x-content-type-options'], 'nosniff')
  t.equal(res.headers['referrer-policy'], 'no-referrer', "helmet's page headers, as on /docs")

  const again = await app.inject({ url: '/app/', headers: { 'if-none-match': res.headers.etag as string } })
  t.equal(again.statusCode, 304, 'revalidated by its ETag')
  t.equal(again.body, '')
})

t.test('hashed assets are immutable, in the coding the client prefers', async (t) => {
  const app = await buildTestApp(t, { VIEWER_DIR: dir })
  const plain = await app.inject('/app/assets/index-AbC123.js')
  t.equal(plain.statusCode, 200)
  t.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable')
  t.equal(plain.headers['content-type'], 'text/javascript; charset=utf-8')
  t.equal(plain.headers['content-encoding'], undefined)
  t.equal(plain.body, SCRIPT)
  t.equal(plain.headers.vary, 'accept-encoding')

  const br = await app.inject({ url: '/app/assets/index-AbC123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } })
  t.equal(br.headers['content-encoding'], 'br')
  t.equal(zlib.brotliDecompressSync(br.rawPayload).toString(), SCRIPT)
  const gzip = await app.inject({ url: '/app/assets/index-AbC123.js', headers: { 'accept-encoding': 'gzip' } })
  t.equal(gzip.headers['content-encoding'], 'gzip')
  t.equal(zlib.gunzipSync(gzip.rawPayload).toString(), SCRIPT)
  t.ok(gzip.rawPayload.length < SCRIPT.length / 10, 'compressed')
  const deflate = await app.inject({ url: '/app/assets/index-AbC123.js', headers: { 'accept-encoding': 'deflate' } })
  t.equal(deflate.headers['content-encoding'], undefined, 'a coding not kept: sent as it is')
  t.equal(deflate.body, SCRIPT)

  const css = await app.inject('/app/assets/index-AbC123.css')
  t.equal(css.headers['content-type'], 'text/css; charset=utf-8')

  for (const name of ['nope-123.js', 'index.html', '..%2Findex.html', '.env', 'index-AbC123.js.map']) {
    const res = await app.inject(`/app/assets/${name}`)
    t.equal(res.statusCode, 404, name)
    t.match(res.json(), { error: /^no viewer asset/ })
  }
})

t.test('/app redirects to /app/, keeping the deep link; under BASE_PATH too', async (t) => {
  const app = await buildTestApp(t, { VIEWER_DIR: dir })
  const res = await app.inject('/app?site=leyte&pad=x')
  t.equal(res.statusCode, 301)
  t.equal(res.headers.location, '/app/?site=leyte&pad=x')

  const based = await buildTestApp(t, { VIEWER_DIR: dir, BASE_PATH: '/viewer' })
  t.equal((await based.inject('/viewer/app')).headers.location, '/viewer/app/')
  const page = await based.inject('/viewer/app/')
  t.equal(page.statusCode, 200)
  t.match(page.body, 'content="{&quot;apiBaseUrl&quot;:&quot;/viewer&quot;,')
  t.equal((await based.inject('/viewer/app/assets/index-AbC123.js')).statusCode, 200)
  t.equal((await based.inject('/app/')).statusCode, 404, 'nothing outside the base path')
})

t.test('the page is public under AUTH_MODE=api-key; the API it calls is not', async (t) => {
  const hash = createHash('sha256').update('viewer-key').digest('hex')
  const app = await buildTestApp(t, { VIEWER_DIR: dir, AUTH_MODE: 'api-key', API_KEY_HASHES: hash })
  t.equal((await app.inject('/app/')).statusCode, 200)
  t.equal((await app.inject('/app/assets/index-AbC123.js')).statusCode, 200)
  t.equal((await app.inject('/api/catalog')).statusCode, 401)
})

t.test('a basemap opens the page to https: hosts and is passed to the app', async (t) => {
  const app = await buildTestApp(t, { VIEWER_DIR: dir, VIEWER_BASEMAP_STYLE_URL: 'https://tiles.example.org/style.json' })
  const res = await app.inject('/app/')
  t.match(res.headers['content-security-policy'], / https:; connect-src 'self' \S+ https:;/)
  t.match(res.body, '&quot;basemapStyleUrl&quot;:&quot;https://tiles.example.org/style.json&quot;')
})

t.test('a server without a build says so, and keeps serving the API', async (t) => {
  const app = await buildTestApp(t, { VIEWER_DIR: join(tmpdir(), 'tv-viewer-never-built') })
  const res = await app.inject('/app/')
  t.equal(res.statusCode, 503)
  t.match(res.json(), { error: /web viewer is not built.*npm run build/ })
  t.equal(res.headers['cache-control'], 'no-store')
  t.equal((await app.inject('/app/assets/index-AbC123.js')).statusCode, 404)
  t.equal((await app.inject('/api/sites')).statusCode, 200)
})

t.test('the viewer is not part of the API contract', async (t) => {
  const app = await buildTestApp(t, { VIEWER_DIR: dir })
  const doc = (await app.inject('/openapi.json')).json<{ paths: Record<string, unknown> }>()
  t.same(
    Object.keys(doc.paths).filter((p) => p.startsWith('/app')),
    []
  )
  t.notMatch(JSON.stringify((await app.inject('/')).json()), '/app', 'nor of the endpoint index')
})
