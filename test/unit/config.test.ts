import t from 'tap'
import { ConfigError, loadConfig } from '../../src/config.js'

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
