/**
 * Classifies a failed AWS SDK call into the status the client should see.
 * AWS messages never reach the response; only this classification does.
 */
export type AwsFault = {
  status: 502 | 503 | 504
  kind: 'throttled' | 'unavailable' | 'timeout' | 'error'
  error: string
  retryAfterSeconds?: number
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'SlowDown',
  'RequestThrottled',
  'LimitExceededException'
])
const UNAVAILABLE = new Set(['ServiceUnavailable', 'ServiceUnavailableException', 'InternalServerError', 'InternalError'])
// The SDK could not obtain or renew credentials (instance/task role endpoint down, token expired):
// no call can be signed until it can, an outage of the data path rather than a bug.
const NO_CREDENTIALS = new Set(['CredentialsProviderError', 'TokenProviderError', 'ExpiredToken', 'ExpiredTokenException'])
const TIMEOUT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError'])
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ENETUNREACH'])

interface SdkLikeError {
  name?: string
  code?: string
  $metadata?: { httpStatusCode?: number }
  $fault?: 'client' | 'server'
  $service?: string
  cause?: unknown
}

function networkCode(err: SdkLikeError): string | undefined {
  const code = err.code ?? (err.cause as SdkLikeError | undefined)?.code
  return code && NETWORK.has(code) ? code : undefined
}

export function classifyAwsError(err: unknown): AwsFault | undefined {
  if (!err || typeof err !== 'object') return undefined
  const e = err as SdkLikeError
  const name = e.name ?? ''
  if (THROTTLING.has(name)) {
    return { status: 503, kind: 'throttled', error: 'upstream storage is throttling requests; retry later', retryAfterSeconds: 1 }
  }
  // Before the name: the SDK renames a reset connection to TimeoutError, but it is an outage, not slowness.
  if (networkCode(e) || UNAVAILABLE.has(name) || NO_CREDENTIALS.has(name) || e.$metadata?.httpStatusCode === 503) {
    return { status: 503, kind: 'unavailable', error: 'upstream storage is unavailable; retry later', retryAfterSeconds: 5 }
  }
  if (TIMEOUT.has(name) || e.code === 'ETIMEDOUT' || e.code === 'ECONNABORTED') {
    return { status: 504, kind: 'timeout', error: 'upstream storage did not answer in time' }
  }
  if (e.$metadata !== undefined || e.$fault !== undefined) {
    return { status: 502, kind: 'error', error: 'upstream storage returned an unexpected error' }
  }
  return undefined
}
