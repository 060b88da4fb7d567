import { randomUUID } from 'node:crypto'
import { STATUS_CODES, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'

/**
 * The headers every API response carries, as the OWASP REST Security Cheat
 * Sheet lists them (Content-Type and Cache-Control are set per response).
 */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "frame-ancestors 'none'"
}

/** What a client is told about a request Node's HTTP parser refused, by Node's error code. */
export function parserErrorResponse(code: string | undefined): { status: number; error: string } {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, error: 'request timed out before it was complete' }
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, error: 'request headers too large' }
  return { status: 400, error: 'malformed HTTP request' }
}

/** A complete HTTP/1.1 response with the `{ error }` body, for a socket Fastify never saw a request on. */
export function rawErrorResponse(status: number, error: string, requestId: string): string {
  const body = JSON.stringify({ error })
  const headers: Record<string, string | number> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
    'x-request-id': requestId,
    ...API_SECURITY_HEADERS
  }
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`)
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n${lines.join('\r\n')}\r\n\r\n${body}`
}

/**
 * Fastify's `clientErrorHandler`: requests Node refuses before Fastify sees
 * them (malformed, headers too large, too slow) get the API's error shape, a
 * request id and the security headers, and the connection is closed.
 */
export function clientErrorHandler(this: FastifyInstance, err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const { status, error } = parserErrorResponse(err.code)
  const requestId = randomUUID()
  this.log.info({ reqId: requestId, code: err.code, status }, 'rejected by the HTTP parser')
  // A response still under way on this socket (a request pipelined ahead of the bad bytes) is let finish;
  // one already sent (a GET answered while its body still trickles) cannot be followed by a second.
  const current = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage
  if (current && !current.headersSent && !current.writableEnded && status !== 408) {
    current.once('close', () => socket.destroy())
    return
  }
  if (socket.writable && !current?.headersSent) socket.write(rawErrorResponse(status, error, requestId))
  socket.destroy()
}

const PATH_SHOWN = 64

/** A request path fit to quote in an error: query dropped, unusual characters replaced, length bounded. */
export function quotablePath(url: string): string {
  const path = url.split('?')[0]!.replace(/[^A-Za-z0-9/_.~%:@!$&'()*+,;=-]/g, '?')
  return path.length > PATH_SHOWN ? `${path.slice(0, PATH_SHOWN)}...` : path
}
