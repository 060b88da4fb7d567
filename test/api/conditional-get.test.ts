import t from 'tap'
import { buildTestApp, padQuery } from '../helpers/app.js'

// Built like production and checked against the contract: the 304 is a documented status.
const app = await buildTestApp(t)

const urls = [
  '/api/sites',
  '/api/sectors?site=leyte',
  '/api/periods?site=leyte&sector=tongonan',
  '/api/pads?site=leyte&sector=tongonan&period=20241230',
  `/api/mosaic/metadata?${padQuery()}`,
  `/api/mosaic/cameras?${padQuery()}`,
  `/api/mosaic/orthomosaic?${padQuery()}`,
  '/api/optical/leyte_tongonan_20241230_0379',
  '/api/thermal/leyte_tongonan_20241230_0379',
  '/api/thermal/leyte_tongonan_20241230_0379/stats',
  `/api/coverage/stats?${padQuery()}`
]

t.test('a current ETag gets 304 with no body, on every cacheable route', async (t) => {
  for (const url of urls) {
    const first = await app.inject({ method: 'GET', url })
    t.equal(first.statusCode, 200, url)
    const etag = first.headers.etag as string
    t.ok(etag, `${url} has an ETag`)
    t.match(first.headers['cache-control'], /max-age=\d+/)
    const again = await app.inject({ method: 'GET', url, headers: { 'if-none-match': etag } })
    t.equal(again.statusCode, 304, url)
    t.equal(again.body, '', 'no body')
    const stale = await app.inject({ method: 'GET', url, headers: { 'if-none-match': 'W/"stale"' } })
    t.equal(stale.statusCode, 200, `${url} with a stale tag`)
  }
})

t.test('a conditional HEAD with a current ETag gets 304, never a 500, on every cacheable route', async (t) => {
  for (const url of urls) {
    const etag = (await app.inject({ method: 'GET', url })).headers.etag as string
    const head = await app.inject({ method: 'HEAD', url, headers: { 'if-none-match': etag } })
    t.equal(head.statusCode, 304, url)
    t.equal(head.headers.etag, etag, `${url} keeps its ETag`)
    t.equal(head.body, '', 'no body')
  }
})

t.test('presigned URLs are private and cached well inside their lifetime; errors are not cached', async (t) => {
  const url = await app.inject({ method: 'GET', url: '/api/optical/leyte_tongonan_20241230_0379' })
  const maxAge = Number(/max-age=(\d+)/.exec(url.headers['cache-control'] as string)?.[1])
  t.match(url.headers['cache-control'], /private/)
  t.ok(maxAge > 0 && maxAge <= 360, `max-age ${maxAge} ≤ a tenth of 3600 s`)
  const sites = await app.inject({ method: 'GET', url: '/api/sites' })
  t.match(sites.headers['cache-control'], /public/)
  const missing = await app.inject({ method: 'GET', url: '/api/optical/nope' })
  t.equal(missing.statusCode, 404)
  t.equal(missing.headers['cache-control'], 'no-store')
})
