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
}
