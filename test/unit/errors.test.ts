import t from 'tap'
import { classifyAwsError } from '../../src/aws/errors.js'
import { NotFoundError } from '../../src/errors.js'
import Fastify from 'fastify'
import errorsPlugin, { isDecimal, MAX_ERROR_MESSAGE, numericParameters, validationMessage } from '../../src/plugins/errors.js'

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

t.test('a numeric parameter is a finite decimal, checked before Ajv coerces it, else a 400 naming it', async (t) => {
  const app = Fastify({ logger: false, routerOptions: { maxParamLength: 1000 } })
  t.teardown(() => app.close())
  await app.register(errorsPlugin)
  const querystring = { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 500 } } }
  const params = { type: 'object', properties: { z: { type: 'number', minimum: -100 } } }
  app.get('/q', { schema: { querystring } }, (req) => req.query)
  app.get('/p/:z', { schema: { params } }, (req) => req.params)
  const notDecimal = [
    '1e999',
    '-1e999',
    'Infinity',
    '-Infinity',
    'NaN',
    '0x10',
    '0b11',
    '0o7',
    ' 5',
    '5 ',
    '+5',
    '',
    '1_0',
    '9'.repeat(400)
  ]
  for (const value of [...notDecimal, '1e3', '1.5', '10.']) {
    const q = await app.inject({ method: 'GET', url: `/q?limit=${encodeURIComponent(value)}` })
    t.equal(q.statusCode, 400, `limit=${value}`)
    t.same(q.json(), { error: "invalid query parameter 'limit': must be an integer in decimal digits" }, `limit=${value}`)
  }
  for (const value of notDecimal) {
    const p = await app.inject({ method: 'GET', url: `/p/${encodeURIComponent(value)}` })
    t.equal(p.statusCode, 400, `z=${value}`)
    t.same(p.json(), { error: "invalid path parameter 'z': must be a finite decimal number" }, `z=${value}`)
  }
  t.same((await app.inject({ method: 'GET', url: '/q?limit=0100' })).json(), { limit: 100 }, 'decimal digits pass')
  for (const [text, value] of [
    ['-1.5e1', -15],
    ['.5', 0.5],
    ['10.', 10],
    ['1E2', 100]
  ] as const)
    t.same(
      (await app.inject({ method: 'GET', url: `/p/${text}` })).json(),
      { z: value },
      `a number may have a fraction and an exponent: ${text}`
    )
  t.equal((await app.inject({ method: 'GET', url: '/q?limit=501' })).statusCode, 400, 'the range still applies')
  t.equal((await app.inject({ method: 'GET', url: '/q?limit=5&limit=6' })).statusCode, 400, 'a repeated parameter is still refused')
  t.same((await app.inject({ method: 'GET', url: '/q' })).json(), {}, 'an absent optional parameter passes')
})

t.test('the rule of decimal parameters', async (t) => {
  t.ok(isDecimal('integer', '-12'))
  t.notOk(isDecimal('integer', '1.0'))
  t.notOk(isDecimal('integer', '9'.repeat(400)), 'digits that overflow to Infinity')
  t.ok(isDecimal('number', '1e308'))
  t.notOk(isDecimal('number', '1e309'), 'finite after parsing')
  t.same(
    numericParameters({
      querystring: { properties: { a: { type: 'integer' }, b: { type: 'string' } } },
      params: { properties: { c: { type: 'number' } } }
    }),
    [
      { part: 'querystring', name: 'a', type: 'integer' },
      { part: 'params', name: 'c', type: 'number' }
    ]
  )
})

t.test('an error message that echoes too much is cut at MAX_ERROR_MESSAGE', async (t) => {
  const app = Fastify({ logger: false })
  t.teardown(() => app.close())
  await app.register(errorsPlugin)
  app.get('/long', () => {
    throw new NotFoundError(`pad_id '${'x'.repeat(14 * 1024)}' not found`)
  })
  app.get('/short', () => {
    throw new NotFoundError("pad_id 'x' not found")
  })
  const long = await app.inject({ method: 'GET', url: '/long' })
  t.equal(long.statusCode, 404)
  const error = long.json().error as string
  t.equal(error.length, MAX_ERROR_MESSAGE)
  t.match(error, /^pad_id 'xxx.*\.\.\.$/)
  t.same(
    (await app.inject({ method: 'GET', url: '/short' })).json(),
    { error: "pad_id 'x' not found" },
    'a message within the bound is whole'
  )
})
