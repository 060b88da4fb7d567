import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/**
 * What the proxy does with the next request:
 * - `pass`: forwards it to the emulator unchanged;
 * - `error500`: answers 500 InternalServerError in the protocol of the service;
 * - `throttle`: answers as AWS does when throttling (DynamoDB ThrottlingException, S3 503 SlowDown);
 * - `reset`: destroys the connection without answering (ECONNRESET at the SDK);
 * - `hang`: accepts the request and never answers.
 */
export type FaultMode = 'pass' | 'error500' | 'throttle' | 'reset' | 'hang'

/** What a proxy does with one request: a fault mode, or an AccessDenied answer with this message. */
export type Verdict = FaultMode | { deny: string }

export interface FaultProxyOptions {
  /** Decides each request by itself instead of `mode` (the shared demo store refuses writes this way). */
  verdict?: (req: IncomingMessage) => Verdict
}

export interface FaultProxy {
  /** The endpoint to give the SDK instead of the emulator's. */
  endpoint: string
  mode: FaultMode
  /** Requests that reached the proxy, whatever it did with them. */
  requests: number
  close(): Promise<void>
}

const isDynamo = (req: IncomingMessage) => typeof req.headers['x-amz-target'] === 'string'

/** AccessDenied in the protocol of the service, as AWS answers a request its policy refuses. */
function answerDenied(message: string, req: IncomingMessage, res: ServerResponse) {
  if (isDynamo(req)) {
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' })
    res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#AccessDeniedException', message }))
    return
  }
  res.writeHead(403, { 'content-type': 'application/xml' })
  res.end(
    req.method === 'HEAD'
      ? undefined
      : `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>${message}</Message></Error>`
  )
}

function answerFault(mode: 'error500' | 'throttle', req: IncomingMessage, res: ServerResponse) {
  if (isDynamo(req)) {
    const type = mode === 'throttle' ? 'ThrottlingException' : 'InternalServerError'
    const status = mode === 'throttle' ? 400 : 500
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' })
    res.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: 'injected fault' }))
    return
  }
  const code = mode === 'throttle' ? 'SlowDown' : 'InternalError'
  res.writeHead(mode === 'throttle' ? 503 : 500, { 'content-type': 'application/xml' })
  // HEAD answers carry no body; the SDK classifies them by status.
  res.end(req.method === 'HEAD' ? undefined : `<?xml version="1.0"?><Error><Code>${code}</Code><Message>injected fault</Message></Error>`)
}

/**
 * A loopback HTTP proxy between the app and one emulator that injects the
 * faults real AWS endpoints produce. The SDK talks to it exactly as it would
 * to the service: the faults go through its real retry and error handling.
 */
export async function startFaultProxy(target: string, mode: FaultMode = 'pass', options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const upstream = new URL(target)
  const sockets = new Set<Socket>()
  const proxy: FaultProxy = {
    endpoint: '',
    mode,
    requests: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
  const server = createServer((req, res) => {
    proxy.requests++
    const current = options.verdict?.(req) ?? proxy.mode
    if (typeof current === 'object') {
      req.resume()
      req.on('end', () => answerDenied(current.deny, req, res))
      return
    }
    if (current === 'hang') return
    if (current === 'reset') {
      req.socket.destroy()
      return
    }
    if (current !== 'pass') {
      req.resume()
      req.on('end', () => answerFault(current, req, res))
      return
    }
    const out = forward(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    out.on('error', () => req.socket.destroy())
    req.pipe(out)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  // As the emulators do: longer than the SDK keeps an idle socket, so no request races a close.
  server.keepAliveTimeout = 65_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return proxy
}
