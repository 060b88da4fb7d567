import { execFileSync } from 'node:child_process'
import { cpus } from 'node:os'

/** Which CPUs each process of the benchmark runs on (taskset lists). */
export interface Pinning {
  /** The server measured: the API child or the hello-world child, one at a time. */
  server: string
  /** This process and the load generator: wrk, its child, inherits the affinity (autocannon runs inside it). */
  load: string
  /** The emulators: any CPU. */
  store: string
}

/** Sets the CPU affinity of every thread of `pid`; false when taskset is missing or refuses. */
export function pin(pid: number, cpuList: string): boolean {
  try {
    execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cpuList, String(pid)], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/**
 * Pins this process (and so wrk) to CPU 1 and returns where the others go: the
 * server measured on CPU 0, the emulators anywhere. Unpinned, the scheduler now
 * and then put autocannon and the server on the same core, and the same code
 * measured 18,000 and 31,000 req/s at 32 connections in one run: the ratios to
 * hello-world were noise. Pinned, hello-world and the API each get one core of
 * their own, which is also all a Node.js server uses. Undefined (unpinned) on a
 * single CPU or without taskset (non-Linux).
 */
export function pinLoadGenerator(): Pinning | undefined {
  const n = cpus().length
  if (n < 2) return undefined
  const plan = { server: '0', load: '1', store: `0-${n - 1}` }
  return pin(process.pid, plan.load) ? plan : undefined
}
