/**
 * Errors the services raise on purpose. The error handler maps them to HTTP;
 * anything else is treated as a fault and never shown to the client.
 */
export class NotFoundError extends Error {
  override name = 'NotFoundError'
  readonly statusCode = 404
}

export class BadRequestError extends Error {
  override name = 'BadRequestError'
  readonly statusCode = 400
}
