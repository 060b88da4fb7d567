import t from 'tap'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { testAppOptions } from '../helpers/app.js'
import { assertConforms } from '../helpers/contract.js'

/**
 * BASE_PATH=/viewer: every route under the prefix (an ALB forwards the path as it is),
 * the served document and Swagger UI pointed at it, nothing served outside it.
 * test/browser/docs.test.ts clicks Execute in /viewer/docs. (No load shedding: the first reads of
 * Swagger UI's files on a busy machine would be shed, and that is not what this file tests.)
 */

const app = await buildApp(await testAppOptions(t, { BASE_PATH: '/viewer', MAX_EVENT_LOOP_DELAY_MS: '0' }))
t.teardown(() => app.close())
await app.ready()

/** A GET under the prefix, checked against the committed (prefix-free) contract. */
async function get(path: string, headers: Record<string, string> = {}) {
  const res = await app.inject({ method: 'GET', url: `/viewer${path}`, headers })
  assertConforms('GET', path, res.statusCode, res.headers['content-type'], res.body)
  return res
}

t.test('the API, the probes and the contract are served under /viewer', async (t) => {
  const sites = await get('/api/sites')
  t.equal(sites.statusCode, 200)
  t.same(sites.json(), ['leyte', 'upper-rhine'])
  const pads = await get('/api/pads?site=leyte&sector=tongonan&period=20241230')
  t.equal(pads.statusCode, 200)
  t.equal((await get('/health')).statusCode, 200)
  t.equal((await get('/ready')).statusCode, 200)
  const bad = await get('/api/sectors')
  t.equal(bad.statusCode, 400, 'validation works the same under the prefix')
  t.same(bad.json(), { error: "missing required query parameter 'site'" })
  const yaml = await app.inject('/viewer/openapi.yaml')
  t.equal(yaml.statusCode, 200)
  t.match(yaml.body, /- url: \/viewer\n/)
})

t.test('nothing is served outside the prefix: the API 404 names the URL as sent', async (t) => {
  for (const url of ['/api/sites', '/health', '/docs', '/openapi.json', '/', '/viewerx/api/sites']) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 404, url)
    t.same(res.json(), { error: `route GET ${url} not found` })
    t.equal(res.headers['x-content-type-options'], 'nosniff', 'with the security headers')
  }
  const unknown = await app.inject('/viewer/api/nope')
  t.same(unknown.json(), { error: 'route GET /viewer/api/nope not found' })
})

t.test('the served OpenAPI document has the prefix as its server and prefix-free paths', async (t) => {
  const res = await app.inject('/viewer/openapi.json')
  t.equal(res.statusCode, 200)
  const doc = res.json<{ servers: Array<{ url: string }>; paths: Record<string, unknown> }>()
  t.same(
    doc.servers.map((s) => s.url),
    ['/viewer']
  )
  t.ok('/api/sites' in doc.paths, 'paths stay as in the committed openapi.yaml')
  t.notOk(
    Object.keys(doc.paths).some((p) => p.startsWith('/viewer')),
    'no path carries the prefix'
  )
})

t.test('Swagger UI under /viewer/docs links its assets under the prefix', async (t) => {
  const page = await app.inject('/viewer/docs')
  t.equal(page.statusCode, 200)
  const links = [...page.body.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]!)
  t.ok(links.length > 0, 'the page links assets')
  t.same(
    links.filter((l) => !l.startsWith('/viewer/docs/static/') && !l.startsWith('./static/')),
    [],
    'every asset under /viewer/docs'
  )
  for (const link of links.filter((l) => l.startsWith('/viewer/'))) {
    t.equal((await app.inject(link)).statusCode, 200, link)
  }
})

t.test('the root index lists the prefixed paths', async (t) => {
  for (const url of ['/viewer', '/viewer/']) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 200, url)
    const index = res.json<{ docs: string; openapi: string; endpoints: Record<string, string[]> }>()
    t.equal(index.docs, '/viewer/docs')
    t.equal(index.openapi, '/viewer/openapi.json')
    const all = Object.values(index.endpoints).flat()
    t.ok(all.includes('GET /viewer/api/sites'), 'GET /viewer/api/sites')
    t.same(
      all.filter((e) => !/^(GET|POST) \/viewer\//.test(e)),
      [],
      'every endpoint under /viewer/'
    )
    assertConforms('GET', '/', res.statusCode, res.headers['content-type'], res.body)
  }
})

t.test('without BASE_PATH the index and the document are prefix-free', async (t) => {
  const plain = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), contractOnly: true })
  t.teardown(() => plain.close())
  await plain.ready()
  t.same((plain.swagger() as { servers?: unknown }).servers, [{ url: '/', description: 'This server' }])
})
