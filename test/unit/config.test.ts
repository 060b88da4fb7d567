import t from 'tap'
import { ConfigError, loadConfig } from '../../src/config.js'
import { DEFAULT_BY_DATA_SOURCE, EnvSchema } from '../../src/env-schema.js'

t.test('defaults: embedded, PRD names, port 5001', async (t) => {
  const c = loadConfig({})
  t.equal(c.dataSource, 'embedded')
  t.equal(c.port, 5001)
  t.equal(c.host, '127.0.0.1')
  t.equal(c.aws.region, 'ap-southeast-1')
  t.equal(c.aws.bucket, 'thermal-api-dev-storage-7ecb7171')
  t.equal(c.aws.imagesTable, 'thermal-api-dev-images-7ecb7171')
  t.equal(c.aws.padsTable, 'thermal-api-dev-pads-7ecb7171')
  t.equal(c.aws.jobsTable, 'thermal-api-dev-jobs-7ecb7171')
  t.equal(c.presignExpiresSeconds, 3600)
  t.equal(c.corsOrigins, '*')
  t.equal(c.logLevel, 'info')
  t.equal(c.aws.s3ForcePathStyle, true, 'path-style when embedded')
})

t.test('aws mode honours endpoints and path style', async (t) => {
  const c = loadConfig({
    DATA_SOURCE: 'aws',
    AWS_ENDPOINT_URL_S3: 'http://localhost:4566',
    AWS_ENDPOINT_URL_DYNAMODB: 'http://localhost:4566',
    PORT: '8080',
    CORS_ORIGINS: 'https://a.example, https://b.example',
    PRESIGN_EXPIRES_SECONDS: '900'
  })
  t.equal(c.dataSource, 'aws')
  t.equal(c.aws.s3Endpoint, 'http://localhost:4566')
  t.equal(c.aws.dynamodbEndpoint, 'http://localhost:4566')
  t.equal(c.aws.s3ForcePathStyle, false)
  t.equal(c.port, 8080)
  t.same(c.corsOrigins, ['https://a.example', 'https://b.example'])
  t.equal(c.presignExpiresSeconds, 900)
  t.equal(loadConfig({ DATA_SOURCE: 'aws', S3_FORCE_PATH_STYLE: 'true' }).aws.s3ForcePathStyle, true)
})

t.test('bad values fail with one line naming the variable', async (t) => {
  const cases: [Record<string, string>, string][] = [
    [{ PRESIGN_EXPIRES_SECONDS: '0' }, 'PRESIGN_EXPIRES_SECONDS must be 1..604800'],
    [{ PRESIGN_EXPIRES_SECONDS: '604801' }, 'PRESIGN_EXPIRES_SECONDS must be 1..604800'],
    [{ PRESIGN_EXPIRES_SECONDS: 'soon' }, 'PRESIGN_EXPIRES_SECONDS must be 1..604800'],
    [{ PORT: '70000' }, 'PORT must be 0..65535'],
    [{ PAD_LOAD_CONCURRENCY: '0' }, 'PAD_LOAD_CONCURRENCY must be 1..1024'],
    [{ DATA_SOURCE: 's3' }, 'DATA_SOURCE must be one of: embedded, aws'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of: fatal, error, warn, info, debug, trace, silent'],
    [{ S3_FORCE_PATH_STYLE: 'maybe' }, 'S3_FORCE_PATH_STYLE must be true or false']
  ]
  for (const [env, message] of cases) {
    t.throws(() => loadConfig(env), new ConfigError(message), JSON.stringify(env))
  }
  t.throws(() => loadConfig({ S3_BUCKET: 'Bad_Bucket' }), ConfigError)
  t.throws(() => loadConfig({ AWS_ENDPOINT_URL_S3: 'localhost:4566' }), ConfigError)
})

t.test('auth settings', async (t) => {
  t.same(loadConfig({}).auth, { mode: 'none' })
  const hash = 'a'.repeat(64)
  t.same(loadConfig({ AUTH_MODE: 'api-key', API_KEY_HASHES: `${hash},${'B'.repeat(64)}` }).auth, {
    mode: 'api-key',
    keyHashes: [hash, 'b'.repeat(64)]
  })
  t.throws(() => loadConfig({ AUTH_MODE: 'api-key' }), new ConfigError('API_KEY_HASHES is required when AUTH_MODE=api-key'))
  t.throws(
    () => loadConfig({ AUTH_MODE: 'api-key', API_KEY_HASHES: 'plaintext-key' }),
    new ConfigError('API_KEY_HASHES must be comma-separated SHA-256 hex digests')
  )
  t.same(loadConfig({ AUTH_MODE: 'jwt', COGNITO_USER_POOL_ID: 'ap-southeast-1_AbC123', COGNITO_CLIENT_ID: 'client1' }).auth, {
    mode: 'jwt',
    issuer: 'https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_AbC123',
    jwksUrl: 'https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_AbC123/.well-known/jwks.json',
    clientId: 'client1',
    jwksCooldownMs: 30000,
    jwksFailureCacheMs: 5000,
    clockSkewSeconds: 60,
    maxLifetimeSeconds: 86400
  })
  t.throws(() => loadConfig({ AUTH_MODE: 'jwt' }), new ConfigError('COGNITO_USER_POOL_ID is required when AUTH_MODE=jwt'))
  t.throws(() => loadConfig({ AUTH_MODE: 'oauth' }), new ConfigError('AUTH_MODE must be one of: none, jwt, api-key'))
  t.throws(() => loadConfig({ RATE_LIMIT_MAX: '-1' }), new ConfigError('RATE_LIMIT_MAX must be 0..1000000'))
})

t.test('AWS timeouts: tight for AWS, generous for the in-process emulators, explicit values win', async (t) => {
  t.same(loadConfig({ DATA_SOURCE: 'aws' }).awsHttp, { connectTimeoutMs: 1000, requestTimeoutMs: 3000, maxAttempts: 3, maxSockets: 64 })
  t.same(loadConfig({}).awsHttp, { connectTimeoutMs: 5000, requestTimeoutMs: 9000, maxAttempts: 3, maxSockets: 64 })
  t.equal(loadConfig({ AWS_REQUEST_TIMEOUT_MS: '1500' }).awsHttp.requestTimeoutMs, 1500)
  t.equal(loadConfig({}).padLoadConcurrency, 8)
  t.equal(loadConfig({ PAD_LOAD_CONCURRENCY: '2' }).padLoadConcurrency, 2)
  const c = loadConfig({})
  t.ok(c.http.shutdownGraceMs > c.http.requestTimeoutMs, 'the grace period outlasts a request deadline')
})

t.test('shutdown drain: 5 s behind a load balancer (aws), none for the embedded demo, and inside the grace period', async (t) => {
  t.equal(loadConfig({ DATA_SOURCE: 'aws' }).http.shutdownDrainMs, 5000)
  t.equal(loadConfig({}).http.shutdownDrainMs, 0)
  t.equal(loadConfig({ SHUTDOWN_DRAIN_MS: '1500' }).http.shutdownDrainMs, 1500)
  const aws = loadConfig({ DATA_SOURCE: 'aws' }).http
  t.ok(aws.shutdownGraceMs > aws.shutdownDrainMs + aws.requestTimeoutMs, 'a request accepted at the end of the drain can still finish')
  t.throws(
    () => loadConfig({ SHUTDOWN_DRAIN_MS: '20000', SHUTDOWN_GRACE_MS: '10000' }),
    new ConfigError('SHUTDOWN_DRAIN_MS (20000) must be below SHUTDOWN_GRACE_MS (10000)')
  )
  t.throws(() => loadConfig({ SHUTDOWN_DRAIN_MS: '-1' }), new ConfigError('SHUTDOWN_DRAIN_MS must be 0..300000'))
})

t.test('Node socket timeouts: finite defaults, and headers never longer than the whole request', async (t) => {
  const c = loadConfig({})
  t.equal(c.http.socketRequestTimeoutMs, 30000)
  t.equal(c.http.socketHeadersTimeoutMs, 10000)
  t.equal(c.http.requestTimeoutMs, 10000, 'REQUEST_TIMEOUT_MS stays the handler deadline')
  t.throws(
    () => loadConfig({ HTTP_REQUEST_TIMEOUT_MS: '5000', HTTP_HEADERS_TIMEOUT_MS: '6000' }),
    new ConfigError('HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS')
  )
  t.throws(() => loadConfig({ HTTP_REQUEST_TIMEOUT_MS: '0' }), new ConfigError('HTTP_REQUEST_TIMEOUT_MS must be 100..600000'))
})

t.test('TRUST_PROXY: private ranges and loopback by default, a hop count, or a list of networks', async (t) => {
  t.same(loadConfig({}).http.trustProxy, {
    networks: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '::1/128']
  })
  t.same(loadConfig({ TRUST_PROXY: '2' }).http.trustProxy, { hops: 2 })
  t.same(loadConfig({ TRUST_PROXY: '10.1.0.0/16, 203.0.113.7, fd00::/8' }).http.trustProxy, {
    networks: ['10.1.0.0/16', '203.0.113.7', 'fd00::/8']
  })
  const message = 'TRUST_PROXY must be a hop count 0..10 or a comma-separated list of IP addresses and CIDR ranges'
  for (const bad of ['11', 'alb', '10.0.0.0/33', '10.0.0.0/8/1', '10.0.0/8', '::1/129', ',']) {
    t.throws(() => loadConfig({ TRUST_PROXY: bad }), new ConfigError(message), bad)
  }
})

t.test('METRICS_PORT must not be the API port', async (t) => {
  t.equal(loadConfig({ METRICS_PORT: '9464' }).metrics.port, 9464)
  t.throws(() => loadConfig({ PORT: '9464', METRICS_PORT: '9464' }), new ConfigError('METRICS_PORT must differ from PORT'))
})

t.test('analytics settings: the survey index budget and the severity thresholds', async (t) => {
  const d = loadConfig({})
  t.equal(d.cache.surveyMaxImages, 50_000)
  t.same(d.hotspotThresholdsC, [10, 20, 40])
  t.same(loadConfig({ HOTSPOT_THRESHOLDS_C: '5,15,30', SURVEY_CACHE_MAX_IMAGES: '1000' }).hotspotThresholdsC, [5, 15, 30])
  for (const bad of ['10,20', '40,20,10', 'hot']) {
    t.throws(
      () => loadConfig({ HOTSPOT_THRESHOLDS_C: bad }),
      new ConfigError('HOTSPOT_THRESHOLDS_C must be three increasing numbers, e.g. 10,20,40'),
      bad
    )
  }
  t.throws(() => loadConfig({ SURVEY_CACHE_MAX_IMAGES: '-1' }), new ConfigError('SURVEY_CACHE_MAX_IMAGES must be 0..10000000'))
})

t.test('the defaults that depend on DATA_SOURCE are the ones EnvSchema documents', async (t) => {
  const documented = (name: keyof typeof EnvSchema.properties) =>
    (EnvSchema.properties[name] as { [DEFAULT_BY_DATA_SOURCE]?: { aws: unknown; embedded: unknown } })[DEFAULT_BY_DATA_SOURCE]!
  for (const source of ['aws', 'embedded'] as const) {
    const c = loadConfig({ DATA_SOURCE: source })
    t.equal(c.awsHttp.connectTimeoutMs, documented('AWS_CONNECT_TIMEOUT_MS')[source], `AWS_CONNECT_TIMEOUT_MS, ${source}`)
    t.equal(c.awsHttp.requestTimeoutMs, documented('AWS_REQUEST_TIMEOUT_MS')[source], `AWS_REQUEST_TIMEOUT_MS, ${source}`)
    t.equal(c.http.shutdownDrainMs, documented('SHUTDOWN_DRAIN_MS')[source], `SHUTDOWN_DRAIN_MS, ${source}`)
    t.equal(c.aws.s3ForcePathStyle, documented('S3_FORCE_PATH_STYLE')[source], `S3_FORCE_PATH_STYLE, ${source}`)
  }
})

t.test('the error message of a variable with allowed values in words is those words', async (t) => {
  t.throws(
    () => loadConfig({ BASE_PATH: 'viewer' }),
    new ConfigError('BASE_PATH must be empty or a path such as /viewer (letters, digits, . _ ~ -)')
  )
  t.throws(() => loadConfig({ METRICS_ENABLED: 'yes' }), new ConfigError('METRICS_ENABLED must be true or false'))
})
