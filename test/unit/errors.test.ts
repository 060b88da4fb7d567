import t from 'tap'
import { classifyAwsError } from '../../src/aws/errors.js'
import Fastify from 'fastify'
import errorsPlugin, { validationMessage } from '../../src/plugins/errors.js'

t.test('validation messages name the parameter', async (t) => {
  t.equal(
    validationMessage('querystring', [{ keyword: 'required', instancePath: '', params: { missingProperty: 'site' } }]),
    "missing required query parameter 'site'"
  )
  t.equal(
    validationMessage('querystring', [
      { keyword: 'enum', instancePath: '/mosaic_type', params: { allowedValues: ['optical', 'medical'] } }
    ]),
    "invalid query parameter 'mosaic_type': must be one of: optical, medical"
  )
  t.equal(
    validationMessage('params', [{ keyword: 'pattern', instancePath: '/image_id', params: { pattern: '^a$' } }]),
    "invalid path parameter 'image_id': must match pattern ^a$"
  )
  t.equal(
    validationMessage('querystring', [{ keyword: 'type', instancePath: '/site', message: 'must be string', params: {} }]),
    "invalid query parameter 'site': must be string"
  )
})

t.test('AWS faults map to 502/503/504 without their text', async (t) => {
  const sdk = (name: string, status = 400, extra: object = {}) =>
    Object.assign(new Error('secret AWS text'), { name, $metadata: { httpStatusCode: status }, $fault: 'client', ...extra })
  t.equal(classifyAwsError(sdk('ProvisionedThroughputExceededException'))?.status, 503)
  t.equal(classifyAwsError(sdk('SlowDown', 503))?.status, 503)
  t.equal(classifyAwsError(sdk('ServiceUnavailable', 503))?.status, 503)
  t.equal(classifyAwsError(sdk('AccessDeniedException', 403))?.status, 502)
  t.equal(classifyAwsError(sdk('ResourceNotFoundException', 400))?.status, 502)
  t.equal(classifyAwsError(Object.assign(new Error('x'), { name: 'TimeoutError' }))?.status, 504)
  t.equal(classifyAwsError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))?.status, 503)
  // The SDK's node handler renames a reset connection to TimeoutError; it is an outage, with Retry-After.
  const reset = classifyAwsError(Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' }))
  t.match(reset, { status: 503, kind: 'unavailable', retryAfterSeconds: 5 })
  t.match(classifyAwsError(Object.assign(new Error('x'), { name: 'TimeoutError', code: 'ETIMEDOUT' })), { status: 504, kind: 'timeout' })
  t.match(classifyAwsError(sdk('ThrottlingException')), { status: 503, kind: 'throttled', retryAfterSeconds: 1 })
  // The default chain found nothing to sign with (shape as the SDK throws it, no $metadata: no call was sent).
  const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' })
  t.match(classifyAwsError(noCredentials), { status: 503, kind: 'unavailable', retryAfterSeconds: 5 })
  t.match(classifyAwsError(sdk('ExpiredTokenException')), { status: 503, kind: 'unavailable' })
  t.equal(classifyAwsError(new Error('plain bug')), undefined)
  t.equal(classifyAwsError('string'), undefined)
  for (const e of [sdk('SlowDown'), sdk('AccessDeniedException')]) {
    t.notMatch(classifyAwsError(e)?.error ?? '', /secret/)
  }
})

t.test('a number parameter that is not finite is a 400 naming it (Ajv coerces 1e999 to Infinity and skips maximum)', async (t) => {
  const app = Fastify({ logger: false })
  t.teardown(() => app.close())
  await app.register(errorsPlugin)
  const querystring = { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 500 } } }
  const params = { type: 'object', properties: { z: { type: 'number', minimum: 0 } } }
  app.get('/q', { schema: { querystring } }, (req) => req.query)
  app.get('/p/:z', { schema: { params } }, (req) => req.params)
  for (const value of ['1e999', '-1e999', 'Infinity', '-Infinity']) {
    const q = await app.inject({ method: 'GET', url: `/q?limit=${value}` })
    t.equal(q.statusCode, 400, `limit=${value}`)
    t.same(q.json(), { error: "invalid query parameter 'limit': must be integer" })
    const p = await app.inject({ method: 'GET', url: `/p/${value}` })
    t.equal(p.statusCode, 400, `z=${value}`)
    t.same(p.json(), { error: "invalid path parameter 'z': must be number" })
  }
  t.same((await app.inject({ method: 'GET', url: '/q?limit=1e2' })).json(), { limit: 100 }, 'a finite number in any notation passes')
  t.equal((await app.inject({ method: 'GET', url: '/q?limit=501' })).statusCode, 400, 'the range still applies')
})
