/** The slice of pino the services use, so they can be unit-tested with any logger. */
export interface Logger {
  warn(obj: object, msg?: string): void
  info(obj: object, msg?: string): void
  debug(obj: object, msg?: string): void
}
