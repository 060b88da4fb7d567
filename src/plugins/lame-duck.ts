import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { Server as NetServer, type Socket } from 'node:net'
import fp from 'fastify-plugin'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { Config } from '../config.js'
import { UnavailableError } from '../errors.js'

declare module 'fastify' {
  interface FastifyInstance {
    lameDuck: LameDuck
  }
}

type Phase = 'serving' | 'draining' | 'drained'

interface SocketState {
  /** `bytesRead` when its last response ended: more since then means a request has begun. */
  bytesAtIdle: number
  /** Its request had begun when the drain ended, so it is still served. */
  admitted: boolean
  /** Admitted, and its request has not arrived yet. */
  waiting: boolean
}

/**
 * Lame-duck shutdown of one HTTP server. On the first signal the instance reports
 * itself not ready, so the load balancer stops sending it work, but it keeps
 * accepting and serving for the drain window: connections already in the accept
 * queue, or opened by a balancer that has not yet noticed, are answered rather than
 * reset. Every response from then on carries `Connection: close`, and idle
 * keep-alive connections are closed at once. After the window the listener closes;
 * a request that begins after it on a connection still open gets a 503.
 */
export class LameDuck {
  phase: Phase = 'serving'
  private readonly sockets = new Map<Socket, SocketState>()
  private readonly inFlight = new Set<ServerResponse>()
  /** Sockets whose request had begun at the end of the drain and has not arrived yet. */
  private admittedWaiting = 0
  private drained: Promise<void> | undefined
  private readonly onResponseClose: (this: ServerResponse) => void
  private settle: (() => void) | undefined

  constructor(
    private readonly server: Server,
    private readonly drainMs: number,
    private readonly log: FastifyBaseLogger
  ) {
    // One listener function for every response: nothing is allocated per request.
    const release = (res: ServerResponse) => this.releaseResponse(res)
    this.onResponseClose = function (this: ServerResponse) {
      release(this)
    }
    server.on('connection', this.onConnection)
    // Ahead of Fastify's own listener, so a response written synchronously still gets the header.
    server.prependListener('request', this.onRequest)
  }

  get draining(): boolean {
    return this.phase !== 'serving'
  }

  /** Whether a request is one that began after the drain: it gets a 503 instead of an answer. */
  refuses(req: IncomingMessage): boolean {
    return this.phase === 'drained' && this.sockets.get(req.socket)?.admitted !== true
  }

  /**
   * Starts the drain (once) and resolves when the window has passed and the last
   * response is written. The caller then closes the app.
   */
  drain(): Promise<void> {
    this.drained ??= this.run()
    return this.drained
  }

  private async run(): Promise<void> {
    this.phase = 'draining'
    for (const res of this.inFlight) if (!res.headersSent) res.shouldKeepAlive = false
    const busy = new Set<Socket>()
    for (const res of this.inFlight) busy.add(res.req.socket)
    let closed = 0
    for (const [socket, state] of this.sockets) {
      // An idle keep-alive connection: it has had a response and nothing has arrived since.
      if (!busy.has(socket) && state.bytesAtIdle > 0 && socket.bytesRead === state.bytesAtIdle) {
        socket.destroy()
        closed++
      }
    }
    this.log.info({ drain_ms: this.drainMs, in_flight: this.inFlight.size, idle_closed: closed }, 'draining: not ready, still serving')
    if (this.drainMs > 0) await new Promise((resolve) => setTimeout(resolve, this.drainMs))

    this.phase = 'drained'
    for (const res of this.inFlight) busy.add(res.req.socket)
    for (const [socket, state] of this.sockets) {
      if (!busy.has(socket) && socket.bytesRead > state.bytesAtIdle) {
        state.admitted = state.waiting = true
        this.admittedWaiting++
      }
    }
    // Stop accepting without http.Server's close(), which would also cut the connections
    // that are idle now: a request that arrives on one of them gets the 503 instead.
    if (this.server.listening) NetServer.prototype.close.call(this.server)
    this.log.info({ in_flight: this.inFlight.size, admitted: this.admittedWaiting }, 'drain window over: listener closed')
    await new Promise<void>((resolve) => {
      this.settle = resolve
      this.check()
    })
  }

  private check(): void {
    if (this.phase === 'drained' && this.inFlight.size === 0 && this.admittedWaiting === 0) this.settle?.()
  }

  private readonly onConnection = (socket: Socket) => {
    const state: SocketState = { bytesAtIdle: 0, admitted: false, waiting: false }
    this.sockets.set(socket, state)
    socket.once('close', () => {
      this.sockets.delete(socket)
      if (state.waiting) this.arrived(state)
    })
  }

  private arrived(state: SocketState): void {
    state.waiting = false
    this.admittedWaiting--
    this.check()
  }

  private readonly onRequest = (req: IncomingMessage, res: ServerResponse) => {
    this.inFlight.add(res)
    res.on('close', this.onResponseClose)
    if (this.phase === 'serving') return
    res.shouldKeepAlive = false
    const state = this.sockets.get(req.socket)
    // From now on it counts as in flight.
    if (state?.waiting) this.arrived(state)
  }

  private releaseResponse(res: ServerResponse): void {
    this.inFlight.delete(res)
    const state = this.sockets.get(res.req.socket)
    if (state) state.bytesAtIdle = res.req.socket.bytesRead
    this.check()
  }
}

/**
 * The lame duck of the app's server, and the 503 for requests that begin after the
 * drain. Registered after CORS, so that 503 carries the CORS headers as well as the
 * security headers and the request id.
 */
async function lameDuck(app: FastifyInstance, opts: { config: Config }) {
  const duck = new LameDuck(app.server, opts.config.http.shutdownDrainMs, app.log)
  app.decorate('lameDuck', duck)
  app.addHook('onRequest', (request, _reply, done) => {
    if (duck.phase === 'drained' && duck.refuses(request.raw)) {
      done(new UnavailableError('the server is shutting down; retry the request', 1))
      return
    }
    done()
  })
}

export default fp(lameDuck, { name: 'lame-duck', fastify: '5.x', dependencies: ['errors'] })
