/**
 * Errors raised on purpose, whose message is written for the client. The error
 * handler sends them as they are; anything else is a fault and is never shown.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly headers: Record<string, string> = {}
  ) {
    super(message)
    this.name = new.target.name
  }
}

export class NotFoundError extends HttpError {
  constructor(message: string) {
    super(404, message)
  }
}

/**
 * Why work for a request stopped: its deadline passed (the client already has its 504).
 * Not an HttpError: nobody is left to answer.
 */
export class CancelledError extends Error {
  override name = 'CancelledError'
}

/** Why a signal aborted, as an Error (a signal aborted without a reason carries a DOMException). */
export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new CancelledError('cancelled')
}

export class UnavailableError extends HttpError {
  constructor(message: string, retryAfterSeconds = 5) {
    super(503, message, { 'retry-after': String(retryAfterSeconds) })
  }
}
