/**
 * Classifies a failed AWS SDK call into the status the client should see.
 * AWS messages never reach the response; only this classification does.
 */
type AwsFault = { status: 502 | 503 | 504; error: string; retryAfterSeconds?: number }

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
  if (THROTTLING.has(name)) return { status: 503, error: 'upstream storage is throttling requests; retry later', retryAfterSeconds: 1 }
  if (TIMEOUT.has(name) || e.code === 'ETIMEDOUT' || e.code === 'ECONNABORTED') {
    return { status: 504, error: 'upstream storage did not answer in time' }
  }
  if (networkCode(e) || UNAVAILABLE.has(name) || e.$metadata?.httpStatusCode === 503) {
    return { status: 503, error: 'upstream storage is unavailable; retry later', retryAfterSeconds: 5 }
  }
  if (e.$metadata !== undefined || e.$fault !== undefined) {
    return { status: 502, error: 'upstream storage returned an unexpected error' }
  }
  return undefined
}
