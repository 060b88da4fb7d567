/**
 * HTTP caching (ETag, 304, Cache-Control) and pre-compressed responses.
 *
 * These apps are built with `buildApp` + `testAppOptions`, WITHOUT the contract
 * wrapper of test/helpers/app.ts, which cannot parse compressed bodies. The 200s
 * are the same responses the contract tests check.
 */
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib'
import Fastify from 'fastify'
import fp from 'fastify-plugin'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { preferredEncoding } from '../../src/content-coding.js'
import httpCache, { cacheControl } from '../../src/plugins/http-cache.js'
import publicUrl from '../../src/plugins/public-url.js'
import { matchesEtag } from '../../src/etag.js'
import { testAppOptions } from '../helpers/app.js'

async function app(t: { teardown(fn: () => unknown): void }, env: Record<string, string> = {}) {
  // Load shedding off: a busy CI machine's event-loop delay alone would shed these requests.
  const instance = await buildApp(await testAppOptions(t, { MAX_EVENT_LOOP_DELAY_MS: '0', ...env }))
  t.teardown(() => instance.close())
  await instance.ready()
  return instance
}

const ID = 'leyte_tongonan_20241230_0379'
const INSHEIM = '/api/mosaic/cameras?site=upper-rhine&sector=insheim&period=20250629&pad_id=upper-rhine_insheim_PAD_A1'

const shared = await app(t)
const get = (url: string, headers: Record<string, string> = {}) => shared.inject({ method: 'GET', url, headers })

t.test('discovery: a weak ETag, public max-age, and 304 without a body on If-None-Match', async (t) => {
  const first = await get('/api/sites')
  t.equal(first.statusCode, 200)
  const etag = first.headers.etag as string
  t.match(etag, /^W\/"[A-Za-z0-9_-]+"$/)
  t.equal(first.headers['cache-control'], 'public, max-age=60')
  t.match(first.headers.vary, /accept-encoding/)

  shared.aws.calls.reset()
  const again = await get('/api/sites', { 'if-none-match': etag })
  t.equal(again.statusCode, 304)
  t.equal(again.body, '', 'no body')
  t.equal(again.headers.etag, etag)
  t.equal(again.headers['cache-control'], 'public, max-age=60')
  t.notOk(again.headers['content-type'])
  t.equal(shared.aws.calls.total(), 0, 'answered from the cache')

  t.equal((await get('/api/sites', { 'if-none-match': `"nope", ${etag}` })).statusCode, 304, 'any tag of a list')
  t.equal((await get('/api/sites', { 'if-none-match': etag.slice(2) })).statusCode, 304, 'weak comparison')
  t.equal((await get('/api/sites', { 'if-none-match': '*' })).statusCode, 304)
  const changed = await get('/api/sites', { 'if-none-match': 'W/"something-else"' })
  t.equal(changed.statusCode, 200)
  t.same(changed.json(), ['leyte', 'upper-rhine'])
})

t.test('pad-level data and stats carry an ETag and a short max-age', async (t) => {
  for (const url of [
    '/api/mosaic/metadata?site=leyte&sector=tongonan&period=20241230&pad_id=leyte_tongonan_PAD_105',
    `/api/thermal/${ID}/stats`,
    '/api/coverage/stats?site=leyte&sector=tongonan&period=20241230&pad_id=leyte_tongonan_PAD_105',
    '/api/pads?site=leyte&sector=tongonan&period=20241230'
  ]) {
    const res = await get(url)
    t.equal(res.statusCode, 200, url)
    t.equal(res.headers['cache-control'], 'public, max-age=60', url)
    const revalidated = await get(url, { 'if-none-match': res.headers.etag as string })
    t.equal(revalidated.statusCode, 304, url)
  }
})

t.test('presigned URLs: private, a tenth of the URL lifetime at most, the same URL while cached', async (t) => {
  const first = await get(`/api/optical/${ID}`)
  t.equal(first.statusCode, 200)
  t.equal(first.headers['cache-control'], 'private, max-age=300', 'min(300, 3600 / 10)')
  const second = await get(`/api/optical/${ID}`)
  t.equal(second.json().url, first.json().url, 'the cached URL (more than half its life left)')
  t.equal(second.headers.etag, first.headers.etag)
  t.equal((await get(`/api/optical/${ID}`, { 'if-none-match': first.headers.etag as string })).statusCode, 304)

  const ortho = await get('/api/mosaic/orthomosaic?site=leyte&sector=tongonan&period=20241230&pad_id=leyte_tongonan_PAD_105')
  t.equal(ortho.headers['cache-control'], 'private, max-age=300')
  t.equal((await get(`/api/thermal/${ID}`)).headers['cache-control'], 'private, max-age=300')

  const short = await app(t, { PRESIGN_EXPIRES_SECONDS: '120' })
  const res = await short.inject({ method: 'GET', url: `/api/optical/${ID}` })
  t.equal(res.headers['cache-control'], 'private, max-age=12')
})

t.test('errors are never stored', async (t) => {
  for (const [url, status] of [
    ['/api/optical/leyte_tongonan_20241230_9999', 404],
    ['/api/optical/a..b', 400],
    ['/api/sectors', 400],
    ['/api/nowhere', 404],
    [INSHEIM.replace('20250629', '19990101'), 404]
  ] as const) {
    const res = await get(url)
    t.equal(res.statusCode, status, url)
    t.equal(res.headers['cache-control'], 'no-store', url)
    t.notOk(res.headers.etag, url)
  }
})

t.test('the 400-camera GeoJSON: ≥ 4× smaller in br and gzip, compressed once, one ETag for every encoding', async (t) => {
  const raw = await get(INSHEIM)
  t.equal(raw.statusCode, 200)
  t.notOk(raw.headers['content-encoding'])
  t.equal(raw.json().features.length, 394)
  const rawBytes = raw.rawPayload.length

  for (const [header, encoding, decode] of [
    ['br, gzip', 'br', brotliDecompressSync],
    ['gzip', 'gzip', gunzipSync],
    ['gzip;q=1, br;q=0.5', 'gzip', gunzipSync]
  ] as const) {
    const res = await get(INSHEIM, { 'accept-encoding': header })
    t.equal(res.headers['content-encoding'], encoding, header)
    t.match(res.headers.vary, /accept-encoding/)
    const ratio = rawBytes / res.rawPayload.length
    t.ok(ratio >= 4, `${encoding}: ${rawBytes} → ${res.rawPayload.length} bytes (${ratio.toFixed(1)}×)`)
    t.equal(decode(res.rawPayload).toString(), raw.body, `${encoding} decodes to the identity body`)
    t.equal(res.headers.etag, raw.headers.etag, 'a weak tag names the representation, whatever the encoding')
    t.equal(Number(res.headers['content-length']), res.rawPayload.length)
    const again = await get(INSHEIM, { 'accept-encoding': header })
    t.same(again.rawPayload, res.rawPayload, 'the same bytes from the kept compression')
  }

  const deflate = await get(INSHEIM, { 'accept-encoding': 'deflate' })
  t.equal(deflate.headers['content-encoding'], 'deflate', 'deflate-only clients are served too')
  t.equal(inflateSync(deflate.rawPayload).toString(), raw.body)
  t.equal(deflate.headers.etag, raw.headers.etag)
  const head = await shared.inject({ method: 'HEAD', url: INSHEIM, headers: { 'accept-encoding': 'deflate' } })
  t.equal(head.statusCode, 200)
  t.equal(head.headers['content-encoding'], 'deflate', 'HEAD announces the encoding GET would send')
  t.equal(head.headers.etag, raw.headers.etag)
  t.equal(head.rawPayload.length, 0, 'and sends no body')
  for (const refusing of ['identity;q=0', '*;q=0', 'zstd']) {
    const res = await get(INSHEIM, { 'accept-encoding': refusing })
    t.notOk(res.headers['content-encoding'], `${refusing}: nothing we can encode is accepted, so the body goes as it is`)
    t.equal(res.body, raw.body)
  }
  const opted = await get(INSHEIM, { 'accept-encoding': 'br', 'x-no-compression': '1' })
  t.notOk(opted.headers['content-encoding'])
  const revalidated = await get(INSHEIM, { 'accept-encoding': 'br, gzip', 'if-none-match': raw.headers.etag as string })
  t.equal(revalidated.statusCode, 304)
  t.equal(revalidated.rawPayload.length, 0)
})

t.test('the routes without a cache policy are compressed by @fastify/compress', async (t) => {
  for (const [header, encoding, decode] of [
    ['br', 'br', brotliDecompressSync],
    ['gzip', 'gzip', gunzipSync],
    ['deflate', 'deflate', inflateSync]
  ] as const) {
    const res = await get('/openapi.json', { 'accept-encoding': header })
    t.equal(res.statusCode, 200)
    t.equal(res.headers['content-encoding'], encoding, `/openapi.json in ${encoding}`)
    t.equal(JSON.parse(decode(res.rawPayload).toString()).info.title, 'Thermal Viewer API')
  }
  const small = await get('/health', { 'accept-encoding': 'br, gzip' })
  t.notOk(small.headers['content-encoding'], 'bodies under 1 KB are sent as they are')
})

t.test('a Content-Encoding on a GET is ignored: no route reads a request body', async (t) => {
  const res = await get('/api/sites', { 'content-encoding': 'x-unknown' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), ['leyte', 'upper-rhine'])
})

t.test('warm requests make no AWS call; lookups are counted in /metrics', async (t) => {
  const fresh = await app(t)
  const url = '/api/periods?site=leyte&sector=tongonan'
  fresh.aws.calls.reset()
  await fresh.inject({ method: 'GET', url })
  t.same(fresh.aws.calls.snapshot(), { 'DynamoDB.Query': 5 })
  for (let i = 0; i < 3; i++) await fresh.inject({ method: 'GET', url })
  t.equal(fresh.aws.calls.total(), 5, 'three more requests, no more calls')
  const metrics = (await fresh.inject({ method: 'GET', url: '/metrics' })).body
  t.match(metrics, /cache_lookups_total\{cache="discovery",outcome="miss"\} 1/)
  t.match(metrics, /cache_lookups_total\{cache="discovery",outcome="hit"\} 3/)
})

t.test('with caching off every request reads AWS, and ETags still answer 304', async (t) => {
  const off = await app(t, { CACHE_TTL_SECONDS: '0' })
  off.aws.calls.reset()
  const first = await off.inject({ method: 'GET', url: '/api/sites' })
  const second = await off.inject({ method: 'GET', url: '/api/sites', headers: { 'if-none-match': first.headers.etag as string } })
  t.equal(second.statusCode, 304, 'the same data has the same tag')
  t.same(off.aws.calls.snapshot(), { 'DynamoDB.Scan': 2 })
  t.equal(first.headers['cache-control'], 'public, no-cache')
  const url = `/api/optical/${ID}`
  const a = (await off.inject({ method: 'GET', url })).json()
  const b = (await off.inject({ method: 'GET', url })).json()
  t.equal(off.aws.calls.snapshot()['DynamoDB.GetItem'], 2)
  t.ok(a.url && b.url)
})

t.test('Cache-Control policy: private when requests are authenticated', async (t) => {
  const base = loadConfig({})
  t.equal(cacheControl('discovery', base), 'public, max-age=60')
  t.equal(cacheControl('data', { ...base, cache: { ttlSeconds: 20, maxEntries: 10, surveyMaxImages: 100 } }), 'public, max-age=20')
  t.equal(cacheControl('discovery', { ...base, auth: { mode: 'api-key', keyHashes: [] } }), 'private, max-age=60')
  t.equal(cacheControl('presigned', { ...base, presignExpiresSeconds: 604800 }), 'private, max-age=300')
  t.equal(cacheControl('presigned', { ...base, presignExpiresSeconds: 5 }), 'private, no-cache')
})

t.test('If-None-Match and Accept-Encoding parsing', async (t) => {
  t.ok(matchesEtag('W/"a"', 'W/"a"'))
  t.ok(matchesEtag('"a"', 'W/"a"'))
  t.ok(matchesEtag('"x" , W/"a"', 'W/"a"'))
  t.notOk(matchesEtag('W/"b"', 'W/"a"'))
  t.notOk(matchesEtag(undefined, 'W/"a"'))
  t.equal(preferredEncoding('gzip, deflate, br'), 'br')
  t.equal(preferredEncoding('gzip, br;q=0'), 'gzip')
  t.equal(preferredEncoding('*'), 'br')
  t.equal(preferredEncoding('identity'), undefined)
  t.equal(preferredEncoding('deflate'), 'deflate')
  t.equal(preferredEncoding('deflate, gzip;q=0.5'), 'deflate', 'the highest q wins')
  t.equal(preferredEncoding('gzip, deflate'), 'gzip', 'gzip before deflate on a tie')
  t.equal(preferredEncoding('zstd, br;q=0.5'), 'br', 'the best of what we can encode')
  t.equal(preferredEncoding('*;q=0'), undefined)
  t.equal(preferredEncoding('identity;q=0'), undefined)
  t.equal(preferredEncoding('*;q=0.1, gzip;q=0'), 'br', 'the wildcard covers codings not listed')
  t.equal(preferredEncoding('x-gzip'), 'gzip')
  t.equal(preferredEncoding(undefined), undefined)
})

t.test('a route whose 304 documentation disagrees with its config.cache stops the start-up', async (t) => {
  const bare = Fastify()
  t.teardown(() => bare.close())
  const config = loadConfig({})
  await bare.register(fp(async () => {}, { name: 'route-facts' }))
  await bare.register(publicUrl, { config })
  await bare.register(httpCache, { config })
  t.throws(
    () => bare.get('/api/sites', { config: { cache: 'discovery' }, schema: { response: { 200: { type: 'array' } } } }, async () => []),
    /\/api\/sites declares config.cache 'discovery' but its schema does not document 304/
  )
  t.throws(
    () => bare.get('/api/other', { schema: { response: { 200: { type: 'array' }, 304: { type: 'null' } } } }, async () => []),
    /\/api\/other documents a 304 but declares no config.cache/
  )
  t.doesNotThrow(() => bare.get('/api/unrelated', async () => ({})), 'routes that neither cache nor document 304 are left alone')
})
