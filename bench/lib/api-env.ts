/** What the store child reports once its emulators listen. */
export interface StoreReady {
  s3Endpoint: string
  dynamodbEndpoint: string
  credentials: { accessKeyId: string; secretAccessKey: string }
}

/** The API child's environment: DATA_SOURCE=aws at the store child's emulators, as a deployment would set it. */
export function apiEnv(store: StoreReady, logLevel: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATA_SOURCE: 'aws',
    AWS_ENDPOINT_URL_S3: store.s3Endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: store.dynamodbEndpoint,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: store.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: store.credentials.secretAccessKey,
    AUTH_MODE: 'none',
    // One client hammering from one address: rate limiting would answer 429s.
    RATE_LIMIT_MAX: '0',
    LOG_LEVEL: logLevel
  }
}
