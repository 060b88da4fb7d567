import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { openapi } from '../helpers/contract.js'

const app = await buildTestApp(t)

t.test('GET /health is a cheap liveness check', async (t) => {
  app.aws.calls.reset()
  const res = await app.inject({ method: 'GET', url: '/health' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'healthy', service: 'thermal-viewer-backend', version: '1.0.0' })
  t.equal(app.aws.calls.total(), 0)
})

t.test('GET / lists every registered endpoint by group, probes and metrics included', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/' })
  t.equal(res.statusCode, 200)
  const body = res.json<{ service: string; endpoints: Record<string, string[]> }>()
  t.equal(body.service, 'thermal-viewer-backend')
  t.same(Object.keys(body.endpoints).sort(), [
    'analytics',
    'discovery',
    'features',
    'health',
    'heat-loss',
    'images',
    'line-loss',
    'mosaic',
    'reports',
    'stac',
    'stats',
    'tiles'
  ])
  t.same([...body.endpoints.health!].sort(), ['GET /', 'GET /health', 'GET /metrics', 'GET /ready'])
  t.ok(body.endpoints.images!.includes('GET /api/thermal/{image_id}?palette={palette}'))
  t.ok(body.endpoints.discovery!.includes('GET /api/sectors?site={site}'))
  // Every documented operation is listed: the index and the contract come from the same routes.
  const listed = Object.values(body.endpoints)
    .flat()
    .map((line) => line.split('?')[0])
  for (const [path, methods] of Object.entries(openapi.paths)) {
    for (const method of Object.keys(methods)) t.ok(listed.includes(`${method.toUpperCase()} ${path}`), `${method} ${path} is listed`)
  }
})

t.test('unknown routes get a JSON 404', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/api/nothing?x=1' })
  t.equal(res.statusCode, 404)
  t.match(res.headers['content-type'], /application\/json/)
  t.same(res.json(), { error: 'route GET /api/nothing not found' })
})

t.test('request ids: honoured when safe, minted otherwise, always returned', async (t) => {
  const given = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'abc-123' } })
  t.equal(given.headers['x-request-id'], 'abc-123')
  const hostile = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'a\nb c' } })
  t.match(hostile.headers['x-request-id'], /^[0-9a-f-]{36}$/)
})

t.test('CORS allows any origin by default, without credentials', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/api/sites', headers: { origin: 'https://viewer.example' } })
  t.equal(res.headers['access-control-allow-origin'], '*')
  t.notOk(res.headers['access-control-allow-credentials'])
})

t.test('CORS_ORIGINS restricts origins', async (t) => {
  const strict = await buildTestApp(t, { CORS_ORIGINS: 'https://viewer.example' })
  const ok = await strict.inject({ method: 'GET', url: '/health', headers: { origin: 'https://viewer.example' } })
  t.equal(ok.headers['access-control-allow-origin'], 'https://viewer.example')
  const no = await strict.inject({ method: 'GET', url: '/health', headers: { origin: 'https://evil.example' } })
  t.notOk(no.headers['access-control-allow-origin'])
})

t.test('the docs and the OpenAPI document are served', async (t) => {
  const json = await app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(json.statusCode, 200)
  t.equal(json.json().openapi, '3.1.0')
  const yaml = await app.inject({ method: 'GET', url: '/openapi.yaml' })
  t.equal(yaml.statusCode, 200)
  t.match(yaml.body, /^openapi: 3\.1\.0/)
  const docs = await app.inject({ method: 'GET', url: '/docs/' })
  t.equal(docs.statusCode, 200)
  t.match(docs.body, /swagger/i)
})
