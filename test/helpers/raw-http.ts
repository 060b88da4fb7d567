import { connect, type Socket } from 'node:net'

export interface RawResponse {
  /** Everything the server wrote before it closed the connection (or the wait ran out). */
  text: string
  status?: number
  headers: Record<string, string>
  body: string
  /** Whether the server closed the connection within the wait. */
  closed: boolean
  elapsedMs: number
}

/** Splits the first HTTP/1.1 response out of raw socket text. */
export function parseResponse(text: string): Pick<RawResponse, 'status' | 'headers' | 'body'> {
  const end = text.indexOf('\r\n\r\n')
  if (end < 0) return { headers: {}, body: '' }
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const i = line.indexOf(':')
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim()
  }
  const length = Number(headers['content-length'] ?? 0)
  return { status: Number(statusLine.split(' ')[1]), headers, body: text.slice(end + 4, end + 4 + length) }
}

/**
 * Opens a TCP connection, lets `drive` write to it (all at once, or slowly),
 * and collects what comes back until the server closes or `waitMs` passes.
 * No HTTP client library: the point is to send what a well-behaved one never would.
 */
export function rawExchange(port: number, drive: (socket: Socket) => void, waitMs: number): Promise<RawResponse> {
  return new Promise((resolve) => {
    const started = Date.now()
    const socket = connect(port, '127.0.0.1')
    let text = ''
    let settled = false
    const finish = (closed: boolean) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resolve({ text, closed, elapsedMs: Date.now() - started, ...parseResponse(text) })
    }
    const timer = setTimeout(() => finish(false), waitMs)
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => (text += chunk))
    socket.on('close', () => finish(true))
    socket.on('error', () => finish(true))
    socket.on('connect', () => drive(socket))
  })
}

/** Writes `chunks` one at a time, `everyMs` apart, while the socket lasts. */
export function trickle(socket: Socket, chunks: string[], everyMs: number): void {
  let i = 0
  const timer = setInterval(() => {
    if (socket.destroyed || i >= chunks.length) return clearInterval(timer)
    socket.write(chunks[i++]!)
  }, everyMs)
  socket.on('close', () => clearInterval(timer))
}
