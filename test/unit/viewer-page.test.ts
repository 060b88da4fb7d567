import t from 'tap'
import { contentType, injectConfig, isAssetName, viewerCsp } from '../../src/domain/viewer-page.js'
import { MAX_RETRY_DELAY_MS, retryDelayMs } from '../../viewer/src/retry.js'
import { DEFAULT_LAYER, DEFAULT_OPACITY, formatView, parseView } from '../../viewer/src/url-state.js'

t.test('only names of the form Vite gives its assets are looked up', async (t) => {
  for (const ok of ['index-B-0h6F1F.js', 'index-56TSLLp5.css', 'logo.svg', 'a_b.woff2']) t.ok(isAssetName(ok), ok)
  for (const bad of ['', '../index.html', '..', 'a/b.js', 'index.html', '.env', 'x.js.map', 'x.JS', `${'a'.repeat(200)}.js`, 'a..js']) {
    t.notOk(isAssetName(bad), JSON.stringify(bad))
  }
  t.equal(contentType('index-x.js'), 'text/javascript; charset=utf-8')
  t.equal(contentType('index-x.css'), 'text/css; charset=utf-8')
  t.equal(contentType('index.html'), 'text/html; charset=utf-8')
  t.equal(contentType('x.bin'), 'application/octet-stream')
})

t.test("the page's settings go into its config meta tag, escaped", async (t) => {
  const html = '<head><meta name="thermal-viewer-config" content="{}" /><title>x</title></head>'
  const out = injectConfig(html, { apiBaseUrl: '/viewer', basemapStyleUrl: 'https://tiles.example/style.json?a=1&b="2"' })
  t.equal(
    out,
    '<head><meta name="thermal-viewer-config" content="{&quot;apiBaseUrl&quot;:&quot;/viewer&quot;,&quot;basemapStyleUrl&quot;:&quot;https://tiles.example/style.json?a=1&amp;b=\\&quot;2\\&quot;&quot;}" /><title>x</title></head>'
  )
  t.throws(() => injectConfig('<head></head>', { apiBaseUrl: '', basemapStyleUrl: null }), /thermal-viewer-config/)
})

t.test("the viewer's CSP allows its own files, blob workers and the presigned origin, and nothing else", async (t) => {
  const csp = viewerCsp({ presignedOrigin: 'http://127.0.0.1:4569', basemap: false })
  const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]))
  t.same(directives['script-src'], ["'self'"])
  t.same(directives['worker-src'], ["'self'", 'blob:'])
  t.same(directives['img-src'], ["'self'", 'data:', 'blob:', 'http://127.0.0.1:4569'])
  t.same(directives['connect-src'], ["'self'", 'http://127.0.0.1:4569'])
  t.same(directives['frame-ancestors'], ["'none'"])
  t.same(directives['object-src'], ["'none'"])
  t.notMatch(csp, /https:|unsafe/, 'no other host, nothing inline')
  const withBasemap = viewerCsp({ presignedOrigin: 'https://b.s3.ap-southeast-1.amazonaws.com', basemap: true })
  t.match(withBasemap, "img-src 'self' data: blob: https://b.s3.ap-southeast-1.amazonaws.com https:;")
  t.match(withBasemap, "connect-src 'self' https://b.s3.ap-southeast-1.amazonaws.com https:;")
  t.match(viewerCsp({ basemap: false }), "img-src 'self' data: blob:;")
})

t.test('the URL holds the view', async (t) => {
  const view = parseView('?site=leyte&sector=tongonan&period=20241230&pad=leyte_tongonan_PAD_105&layer=hotspot_alert&opacity=0.5&image=x_1')
  t.same(view, {
    site: 'leyte',
    sector: 'tongonan',
    period: '20241230',
    pad: 'leyte_tongonan_PAD_105',
    layer: 'hotspot_alert',
    opacity: 0.5,
    image: 'x_1'
  })
  t.equal(parseView(formatView(view)).pad, 'leyte_tongonan_PAD_105', 'a formatted view parses back')
  t.same(parseView(formatView(view)), view)
  t.same(parseView(''), {
    site: undefined,
    sector: undefined,
    period: undefined,
    pad: undefined,
    layer: DEFAULT_LAYER,
    opacity: DEFAULT_OPACITY,
    image: undefined
  })
  t.equal(formatView(parseView('')), '', 'defaults are left out')
  t.equal(parseView('?layer=nonsense').layer, DEFAULT_LAYER)
  t.equal(parseView('?opacity=7').opacity, 1, 'opacity is clamped')
  t.equal(parseView('?opacity=-1').opacity, 0)
  t.equal(parseView('?opacity=abc').opacity, DEFAULT_OPACITY)
  t.equal(parseView('?site=%20').site, undefined, 'a blank id is no id')
  t.equal(formatView({ ...parseView(''), layer: 'none', opacity: 0.333 }), '?layer=none&opacity=0.33')
})

t.test('a 503 is retried after its Retry-After, within bounds', async (t) => {
  t.equal(retryDelayMs('3'), 3000)
  t.equal(retryDelayMs('0'), 0)
  t.equal(retryDelayMs(null), 1000, 'none: a second')
  t.equal(retryDelayMs('soon'), 1000, 'unreadable: a second')
  t.equal(retryDelayMs('86400'), MAX_RETRY_DELAY_MS, 'capped')
  const now = Date.parse('2026-01-01T00:00:00Z')
  t.equal(retryDelayMs('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000, 'an HTTP date')
  t.equal(retryDelayMs('Wed, 31 Dec 2025 23:59:00 GMT', now), 0, 'a date in the past: at once')
})
