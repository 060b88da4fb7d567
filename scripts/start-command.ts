import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../src/package-info.js'

/**
 * The two commands that run the server in earnest, read from where they are
 * defined, so that the benchmark and the deployment test run exactly what
 * `npm start` and the Docker image run (and notice when the two drift):
 *
 * - `npm start`: `node <flags> dist-demo/demo/server.js` in package.json (the demo's entry,
 *   which hands its emulators to the production server as its data source);
 * - the image: `CMD ["node", <flags>, "dist/src/server.js"]` in docker/Dockerfile.
 *
 * The flags carry the V8 heap tuning (docs/performance.md).
 */
export const ENTRY_POINT = 'dist/src/server.js'
export const DEMO_ENTRY_POINT = 'dist-demo/demo/server.js'

/** The node and V8 flags of `node <flags> entry`, in order. */
function flagsOf(argv: string[], entry: string, where: string): string[] {
  if (argv[0] !== 'node' || argv.at(-1) !== entry) {
    throw new Error(`${where}: expected \`node [flags] ${entry}\`, found \`${argv.join(' ')}\``)
  }
  const flags = argv.slice(1, -1)
  const stray = flags.filter((f) => !f.startsWith('--'))
  if (stray.length > 0) throw new Error(`${where}: only --flags may come before ${entry}, found ${stray.join(' ')}`)
  return flags
}

const ASSIGNMENT = /^[A-Z_][A-Z0-9_]*=\S*$/

/** `npm start`'s words: its leading `NAME=value` environment, then `node <flags> entry`. */
function npmStart(root: string): { env: Record<string, string>; argv: string[] } {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }
  const script = pkg.scripts?.start
  if (!script) throw new Error('package.json has no start script')
  const words = script.trim().split(/\s+/)
  const env: Record<string, string> = {}
  while (words.length > 0 && ASSIGNMENT.test(words[0]!)) {
    const [name, value] = words.shift()!.split('=') as [string, string]
    env[name] = value
  }
  return { env, argv: words }
}

/** The node flags of `npm start`, from package.json's `scripts.start`. */
export function npmStartFlags(root = packageRoot): string[] {
  return flagsOf(npmStart(root).argv, DEMO_ENTRY_POINT, 'package.json scripts.start')
}

/** The environment `npm start` sets for node (`MALLOC_ARENA_MAX`), from package.json's `scripts.start`. */
export function npmStartEnv(root = packageRoot): Record<string, string> {
  return npmStart(root).env
}

/**
 * The runtime image's `ENV` of the allocator: glibc gives every thread that allocates an arena
 * of its own, and libvips' and libuv's threads left ~45 MB of fragmented native memory in the
 * cold low-zoom storm of `npm run bench:abuse` (decision 0040). `npm start` and the image both set it.
 */
export const MALLOC_ENV = { MALLOC_ARENA_MAX: '2' } as const

/** The node flags of the runtime image's `CMD`, in exec form, from docker/Dockerfile (the last CMD line wins, as in Docker). */
export function dockerCmdFlags(root = packageRoot): string[] {
  const dockerfile = readFileSync(join(root, 'docker', 'Dockerfile'), 'utf8')
  const cmds = dockerfile.split('\n').filter((line) => /^CMD\s+\[/.test(line))
  const last = cmds.at(-1)
  if (!last) throw new Error('docker/Dockerfile has no CMD in exec form')
  return flagsOf(JSON.parse(last.replace(/^CMD\s+/, '')) as string[], ENTRY_POINT, 'docker/Dockerfile CMD')
}

/**
 * `npm start`, `npm run dev` and `npm run seed` read `.env` from the package root when there
 * is one; variables already in the environment win over the file (Node's own rule).
 */
export const ENV_FILE_FLAG = '--env-file-if-exists=.env'

/**
 * OpenSSL's legacy provider, for the demo's s3rver: it encrypts ListObjectsV2
 * continuation tokens with DES, which OpenSSL 3 keeps only in that provider, so without
 * it every paginated listing of the embedded S3 is a 500 (docs/decisions/0026).
 */
export const LEGACY_OPENSSL_FLAG = '--openssl-legacy-provider'

/**
 * Flags of `npm start` the image leaves out: the `.env` file (a container gets its
 * environment from the task definition; .dockerignore keeps `.env` out of the image),
 * and the legacy provider, which only the demo's emulators need.
 */
export const NOT_IN_IMAGE_FLAGS: readonly string[] = [ENV_FILE_FLAG, LEGACY_OPENSSL_FLAG]
