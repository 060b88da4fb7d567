import type { RequestCalls } from './aws/call-counter.js'

/** The slice of pino the services use, so they can be unit-tested with any logger. */
interface Logger {
  warn(obj: object, msg?: string): void
  info(obj: object, msg?: string): void
  debug(obj: object, msg?: string): void
}

/**
 * What a service call knows of the HTTP request it serves, passed down to the
 * repositories: the request's logger (its lines carry the request id) and the
 * tally of the AWS calls made for it (its log line). A cached result is loaded
 * once under the context of the request that missed; the others that asked for
 * it meanwhile wait for it and record no calls.
 */
export interface CallContext {
  log: Logger
  calls: RequestCalls
  /**
   * The host name the client reached this server by (Host, or X-Forwarded-Host from a
   * trusted proxy), set by the routes that return presigned URLs: the embedded S3 signs for it.
   */
  publicHost?: string
  /**
   * Aborted when the request's deadline passes (its reason a CancelledError): work done only for
   * this request (a render, a wait for a render slot) stops there instead of running on after the 504.
   */
  signal?: AbortSignal
}
