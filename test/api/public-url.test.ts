import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { tileOf } from '../helpers/geotiffs.js'

/**
 * Absolute URLs the API writes (the TileJSON template here, the OpenAPI servers) come from
 * PUBLIC_BASE_URL when it is set, and otherwise from the request, varying on it.
 */
const QUERY = 'site=leyte&sector=tongonan&period=20241230&pad_id=leyte_tongonan_PAD_105&mosaic_type=optical'
const FORGED = {
  host: 'evil.example',
  'x-forwarded-host': 'evil.example',
  'x-forwarded-proto': 'javascript',
  'x-forwarded-prefix': '/../../x'
}
/** A client on the internet: not in TRUST_PROXY's networks, so its X-Forwarded-* headers count for nothing. */
const OUTSIDER = '203.0.113.7'

interface TileJson {
  tiles: string[]
  minzoom: number
  center: [number, number, number]
}

t.test('with PUBLIC_BASE_URL, no request header changes a link, and the answer is shared-cacheable', async (t) => {
  const app = await buildTestApp(t, { PUBLIC_BASE_URL: 'https://thermal.example.com/' })
  for (const [label, headers, remoteAddress] of [
    ['plain', {}, '127.0.0.1'],
    ['forged by a trusted proxy', FORGED, '127.0.0.1'],
    ['forged by an outsider', FORGED, OUTSIDER]
  ] as const) {
    const res = await app.inject({ url: `/api/tiles/tilejson.json?${QUERY}`, headers, remoteAddress })
    t.equal(res.statusCode, 200, label)
    t.equal(res.json<TileJson>().tiles[0], `https://thermal.example.com/api/tiles/{z}/{x}/{y}.png?${QUERY}&resampling=nearest`, label)
    t.match(res.headers['cache-control'], /^public, max-age=\d+$/, label)
    t.notMatch(String(res.headers.vary), /host|forwarded/i, label)
  }
  const doc = await app.inject('/docs/json')
  t.same(doc.json<{ servers: unknown }>().servers, [{ url: 'https://thermal.example.com', description: 'This server' }])
})

t.test('without it, links follow Host and trusted forwarded headers, vary on them and stay private', async (t) => {
  const app = await buildTestApp(t)
  const template = async (headers: Record<string, string>, remoteAddress = '127.0.0.1') => {
    const res = await app.inject({ url: `/api/tiles/tilejson.json?${QUERY}`, headers, remoteAddress })
    t.equal(res.statusCode, 200)
    t.match(res.headers.vary, /host, x-forwarded-host, x-forwarded-proto, x-forwarded-prefix/)
    t.match(res.headers['cache-control'], /^private, max-age=\d+$/, 'never public: a CDN would hand one Host to all')
    return res.json<TileJson>().tiles[0]!
  }
  t.match(await template({ host: 'api.example:5001' }), /^http:\/\/api\.example:5001\/api\/tiles\//)
  t.match(
    await template({ host: '10.0.0.9', 'x-forwarded-host': 'thermal.example', 'x-forwarded-proto': 'https', 'x-forwarded-prefix': '/tv' }),
    /^https:\/\/thermal\.example\/tv\/api\/tiles\//,
    'the ALB (a trusted peer) says what the client asked for'
  )
  t.match(await template(FORGED, OUTSIDER), /^http:\/\/evil\.example\/api\/tiles\//, 'an outsider gets only its own Host back')
  t.match(
    await template({ host: 'api.example', 'x-forwarded-proto': 'javascript', 'x-forwarded-prefix': '/../../x' }),
    /^http:\/\/api\.example\/api\/tiles\//,
    'a proto other than http(s) and a prefix with dot segments are ignored'
  )
  const doc = await app.inject({ url: '/docs/json', headers: FORGED })
  t.same(doc.json<{ servers: unknown }>().servers, [{ url: '/', description: 'This server' }], 'relative: no header reaches it')
})

t.test('BASE_PATH appears exactly once, and the template fetches a tile from the same server', async (t) => {
  const cases: Record<string, string>[] = [{ BASE_PATH: '/viewer' }, { BASE_PATH: '/viewer', PUBLIC_BASE_URL: 'https://cdn.example/tv' }]
  for (const env of cases) {
    const app = await buildTestApp(t, env)
    const res = await app.inject({ url: `/viewer/api/tiles/tilejson.json?${QUERY}`, headers: { host: 'api.example' } })
    t.equal(res.statusCode, 200)
    const tj = res.json<TileJson>()
    const template = tj.tiles[0]!
    const base = env.PUBLIC_BASE_URL ?? 'http://api.example'
    t.ok(template.startsWith(`${base}/viewer/api/tiles/{z}/{x}/{y}.png?`), template)
    t.equal(template.split('/viewer/').length, 2, 'one /viewer')
    const [lon, lat, z] = tj.center
    const { x, y } = tileOf(lon, lat, z)
    const url = new URL(template.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y)))
    // A proxy that strips PUBLIC_BASE_URL's path sends the rest: BASE_PATH and the route.
    const path = url.pathname.slice(new URL(base).pathname.replace(/\/$/, '').length)
    const tile = await app.inject(`${path}${url.search}`)
    t.equal(tile.statusCode, 200, `${path} answers`)
    t.equal(tile.headers['content-type'], 'image/png')
    const docs = await app.inject('/viewer/docs/json')
    t.same(docs.json<{ servers: unknown }>().servers, [
      { url: env.PUBLIC_BASE_URL ? `${base}/viewer` : '/viewer', description: 'This server' }
    ])
  }
})
