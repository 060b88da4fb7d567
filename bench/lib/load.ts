import { execFileSync, spawn } from 'node:child_process'
import autocannon from 'autocannon'

/** What one load run measured. */
export interface LoadResult {
  rps: number
  requests: number
  p50_ms: number
  p99_ms: number
  non2xx: number
  errors: number
}

export interface LoadGenerator {
  name: 'wrk' | 'autocannon'
  run(url: string, connections: number, seconds: number, headers?: Record<string, string>): Promise<LoadResult>
}

function has(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' })
    return true
  } catch (err) {
    // wrk -v prints its version and exits 1.
    return (err as { status?: number }).status === 1
  }
}

/** Debian's wrk, installed as .ci/run installs Chromium, when it is missing and apt-get can be used. */
function installWrk(say: (line: string) => void): boolean {
  if (!has('apt-get', ['--version'])) return false
  say("wrk is missing: installing Debian's package (apt-get install -y wrk)")
  try {
    execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk'], { stdio: 'ignore' })
  } catch {
    return false
  }
  return has('wrk', ['-v'])
}

/** `2.31ms`, `850.00us`, `1.20s` → milliseconds. */
function toMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim())
  if (!m) return NaN
  const n = Number(m[1])
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000
}

/** Parses wrk's report (with --latency). */
export function parseWrk(out: string): LoadResult {
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN)
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN)
  const p50 = /^\s+50%\s+(\S+)/m.exec(out)?.[1]
  const p99 = /^\s+99%\s+(\S+)/m.exec(out)?.[1]
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0)
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)
  const errors = socket ? socket.slice(1).reduce((n, x) => n + Number(x), 0) : 0
  if (!Number.isFinite(requests) || !Number.isFinite(rps)) throw new Error(`could not read wrk's output:\n${out}`)
  return { rps, requests, p50_ms: p50 ? toMs(p50) : NaN, p99_ms: p99 ? toMs(p99) : NaN, non2xx, errors }
}

const wrk: LoadGenerator = {
  name: 'wrk',
  run(url, connections, seconds, headers = {}) {
    // wrk takes whole seconds.
    const args = [
      '-t1',
      `-c${connections}`,
      `-d${Math.max(1, Math.round(seconds))}s`,
      '--latency',
      ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
      url
    ]
    return new Promise((resolve, reject) => {
      const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s))
      child.stderr.setEncoding('utf8').on('data', (s: string) => (out += s))
      child.on('error', reject)
      child.on('close', (code) => {
        if (code !== 0) return reject(new Error(`wrk exited ${code}:\n${out}`))
        try {
          resolve(parseWrk(out))
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)))
        }
      })
    })
  }
}

/**
 * autocannon appends every response body to a string (for `verifyBody`, unused
 * here); for large bodies that decoding costs the client more than the server spends.
 */
function discardBodies(client: autocannon.Client): void {
  ;(client as unknown as { pipelinedRequests: { addBody(data: unknown): void } }).pipelinedRequests.addBody = () => {}
}

const cannon: LoadGenerator = {
  name: 'autocannon',
  async run(url, connections, seconds, headers = {}) {
    const r = await autocannon({ url, connections, duration: seconds, headers, pipelining: 1, setupClient: discardBodies })
    return {
      rps: r.requests.average,
      requests: r.requests.total,
      p50_ms: r.latency.p50,
      p99_ms: r.latency.p99,
      non2xx: r.non2xx,
      errors: r.errors
    }
  }
}

/**
 * wrk (one thread): in C, it drives a bare Fastify route at about twice the rate
 * autocannon does on the same core, so the server, not the client, sets the pace.
 * autocannon only when wrk cannot be had, and the run says so.
 */
export function loadGenerator(say: (line: string) => void, prefer?: 'wrk' | 'autocannon'): LoadGenerator {
  if (prefer === 'autocannon') return cannon
  if (has('wrk', ['-v']) || installWrk(say)) return wrk
  say(
    'WARNING: wrk is not available (and could not be installed): falling back to autocannon, which on large bodies and at high rates is the bottleneck, not the server'
  )
  return cannon
}
