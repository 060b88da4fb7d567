import { Type } from '@sinclair/typebox'
import { DEFAULT_BY_DATA_SOURCE, BY_DATA_SOURCE } from './keywords.js'

// Where the data is: the embedded demo or AWS, its tables and bucket, and the SDK's client settings.

const TABLE_NAME = '^[A-Za-z0-9_.-]{3,255}$'

export const dataSourceEnv = {
  DATA_SOURCE: Type.Union([Type.Literal('embedded'), Type.Literal('aws')], {
    default: 'embedded',
    description:
      "`embedded`: in-process DynamoDB and S3 emulators (dynalite, s3rver) seeded with the demo dataset, as `npm start` runs. `aws`: the AWS SDK's normal endpoint and credential chain, as the container image runs."
  }),
  DATA_DIR: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        "With `embedded`: keep the emulators' data in this directory, seeded on the first start only. One process at a time: `embedded.lock` holds its pid and a second start exits naming it (pids do not cross containers, so containers sharing a volume are not told apart). Unset: a fresh temporary store on every start."
    })
  ),
  EMBEDDED_S3_PORT: Type.Integer({
    minimum: 0,
    maximum: 65535,
    default: 0,
    description: 'Port of the embedded S3 emulator; `0` takes any free port.'
  }),
  EMBEDDED_DYNAMODB_PORT: Type.Integer({
    minimum: 0,
    maximum: 65535,
    default: 0,
    description: 'Port of the embedded DynamoDB emulator; `0` takes any free port.'
  }),
  EMBEDDED_S3_PUBLIC_URL: Type.Optional(
    Type.String({
      pattern: '^https?://[^/?#\\s]+(/[^?#\\s]*)?$',
      description:
        "Where browsers open the embedded S3's presigned URLs (e.g. behind a tunnel). Unset: the host the request came in on, with the emulator's port."
    })
  )
}

export const awsEnv = {
  AWS_REGION: Type.String({ minLength: 1, default: 'ap-southeast-1', description: 'Region of the tables and the bucket.' }),
  S3_BUCKET: Type.String({
    pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
    default: 'thermal-api-dev-storage-7ecb7171',
    description: 'The bucket: OpenDroneMap outputs, camera JPEGs, colour bars and line-loss reports.'
  }),
  IMAGES_TABLE: Type.String({ pattern: TABLE_NAME, default: 'thermal-api-dev-images-7ecb7171', description: 'Image records.' }),
  PADS_TABLE: Type.String({ pattern: TABLE_NAME, default: 'thermal-api-dev-pads-7ecb7171', description: 'Pad records.' }),
  JOBS_TABLE: Type.String({
    pattern: TABLE_NAME,
    default: 'thermal-api-dev-jobs-7ecb7171',
    description: 'Processing jobs: written by `npm run seed`, not read by the API.'
  }),
  MEASUREMENTS_TABLE: Type.String({
    pattern: TABLE_NAME,
    default: 'thermal-api-dev-measurements-7ecb7171',
    description: 'PipeMeasure line-loss measurements.'
  }),
  AWS_ENDPOINT_URL_S3: Type.Optional(
    Type.String({ pattern: '^https?://', description: 'With `aws`: S3 endpoint, e.g. LocalStack `http://localhost:4566`. Unset: AWS.' })
  ),
  AWS_ENDPOINT_URL_DYNAMODB: Type.Optional(
    Type.String({
      pattern: '^https?://',
      description: 'With `aws`: DynamoDB endpoint, e.g. LocalStack `http://localhost:4566`. Unset: AWS.'
    })
  ),
  S3_FORCE_PATH_STYLE: Type.Optional(
    Type.Boolean({
      [DEFAULT_BY_DATA_SOURCE]: BY_DATA_SOURCE.S3_FORCE_PATH_STYLE,
      description: 'Path-style S3 addressing (LocalStack and the emulators need it).'
    })
  )
}

export const awsClientEnv = {
  AWS_CONNECT_TIMEOUT_MS: Type.Optional(
    Type.Integer({
      minimum: 50,
      maximum: 60_000,
      [DEFAULT_BY_DATA_SOURCE]: BY_DATA_SOURCE.AWS_CONNECT_TIMEOUT_MS,
      description: "Connection timeout of an AWS call; longer when embedded, where the emulators share the server's CPU."
    })
  ),
  AWS_REQUEST_TIMEOUT_MS: Type.Optional(
    Type.Integer({
      minimum: 100,
      maximum: 120_000,
      [DEFAULT_BY_DATA_SOURCE]: BY_DATA_SOURCE.AWS_REQUEST_TIMEOUT_MS,
      description: 'Response timeout of an AWS call attempt; longer when embedded. A call that times out is a 504.'
    })
  ),
  AWS_MAX_ATTEMPTS: Type.Integer({
    minimum: 1,
    maximum: 10,
    default: 3,
    description:
      "Attempts of an AWS call in all (the SDK's standard retries); the retry quota starts afresh once AWS answers again (docs/security.md)."
  }),
  AWS_MAX_SOCKETS: Type.Integer({ minimum: 1, maximum: 4096, default: 64, description: 'Keep-alive sockets per AWS client.' })
}
