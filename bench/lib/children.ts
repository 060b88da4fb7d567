import { fork, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** A forked helper (store, API, hello-world) with a request/response IPC channel. */
export interface Child {
  name: string
  process: ChildProcess
  ready: Record<string, any>
  call<T = unknown>(cmd: string, payload?: Record<string, unknown>): Promise<T>
  stop(): Promise<void>
  /** Resident set size now and at its peak (Linux /proc), in MB. */
  rss(): { rssMb: number; peakMb: number } | undefined
}

const here = (file: string) => fileURLToPath(new URL(`../${file}`, import.meta.url))

/**
 * Forks `bench/<file>`: from `compiledRoot` (plain JavaScript, as `npm start`
 * runs) when given, else the TypeScript source through the parent's tsx loader.
 */
export async function startChild(
  file: string,
  env: NodeJS.ProcessEnv,
  name = file,
  compiledRoot?: string,
  /** The node flags the child runs with (the API child: `npm start`'s); by default this process's own. */
  nodeFlags?: string[]
): Promise<Child> {
  const stderr: string[] = []
  const path = compiledRoot ? join(compiledRoot, 'bench', file.replace(/\.ts$/, '.js')) : here(file)
  const isLoader = (a: string, i: number, all: string[]) => a === '--import' || all[i - 1] === '--import' || a.startsWith('--import=')
  const loader = process.execArgv.filter(isLoader)
  const flags = nodeFlags ?? process.execArgv.filter((a, i, all) => !isLoader(a, i, all))
  const child = fork(path, [], {
    // Without the SDK's Node-version notice.
    execArgv: [...flags, ...(compiledRoot ? [] : loader), '--no-warnings'],
    env,
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc']
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr.push(chunk.toString())
    if (stderr.length > 200) stderr.shift()
  })

  const ready = await new Promise<Record<string, any>>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${name} exited (${code}) before it was ready:\n${stderr.join('')}`))
    child.once('exit', onExit)
    child.on('message', function first(msg: any) {
      if (msg?.type !== 'ready') return
      child.off('message', first)
      child.off('exit', onExit)
      resolve(msg)
    })
  })

  let next = 0
  const pending = new Map<number, (result: unknown) => void>()
  child.on('message', (msg: any) => {
    if (typeof msg?.id === 'number' && pending.has(msg.id)) {
      pending.get(msg.id)!(msg.result)
      pending.delete(msg.id)
    }
  })
  child.on('exit', (code, signal) => {
    if (pending.size > 0 || (code !== 0 && code !== null && !stopping)) {
      console.error(`bench: ${name} exited (${code ?? signal})\n${stderr.join('')}`)
    }
  })
  let stopping = false

  return {
    name,
    process: child,
    ready,
    call<T>(cmd: string, payload: Record<string, unknown> = {}) {
      const id = ++next
      return new Promise<T>((resolve) => {
        pending.set(id, resolve as (r: unknown) => void)
        child.send({ id, cmd, ...payload })
      })
    },
    async stop() {
      if (child.exitCode !== null) return
      stopping = true
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      child.disconnect()
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
    rss() {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
        const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
        return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 }
      } catch {
        return undefined
      }
    }
  }
}
