import { createHash, randomUUID } from 'node:crypto'
import { link, mkdir, mkdtemp, readdir, readFile, realpath, rename, rm, statfs, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import dynalite from 'dynalite'
import S3rver from 's3rver'

/**
 * In-process emulators for local development and tests: dynalite (DynamoDB) and
 * s3rver (S3), bound to 127.0.0.1; S3 may listen elsewhere too (`s3Host`), for the
 * browsers that open its presigned URLs. Neither checks request signatures, so the
 * clients use fixed fake credentials.
 */

export interface EmbeddedLogger {
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
}

interface EmbeddedOptions {
  /** Persist both emulators under this directory (`dynamodb/`, `s3/`); in-memory / temporary otherwise. */
  dataDir?: string
  /** 0 (the default) picks a free port. */
  s3Port?: number
  /** 0 (the default) picks a free port. */
  dynamodbPort?: number
  /**
   * The interface S3 listens on (127.0.0.1 by default): the server's own, so that a browser on
   * another machine can open the presigned URLs. DynamoDB stays on loopback: only this process uses it.
   */
  s3Host?: string
  /** Bucket created at start-up, with a CORS rule that lets any origin GET objects. */
  bucket: string
  log?: EmbeddedLogger
}

export interface EmbeddedObject {
  key: string
  body: Uint8Array
  contentType: string
}

interface EmbeddedServices {
  /** Where this process reaches S3 (loopback when S3 listens on every interface). */
  s3Endpoint: string
  s3Port: number
  dynamodbEndpoint: string
  credentials: { accessKeyId: string; secretAccessKey: string }
  /**
   * Stores objects in the emulated bucket directly through s3rver's filesystem store,
   * without HTTP, which is far faster than PutObject for thousands of small files.
   * The objects are then served exactly as if they had been uploaded.
   */
  writeObjects(objects: Iterable<EmbeddedObject>, bucket?: string): Promise<number>
  /** Stops both servers and removes the temporary directory. Safe to call more than once. */
  close(): Promise<void>
}

const HOST = '127.0.0.1'

/** s3rver's default credentials; it does not verify signatures anyway. */
export const EMBEDDED_CREDENTIALS = Object.freeze({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' })

/**
 * Any origin may GET/HEAD objects through presigned URLs, including range requests
 * (GeoTIFF readers fetch byte ranges, which makes the browser send a preflight).
 */
export const CORS_CONFIGURATION_XML = `<?xml version="1.0" encoding="UTF-8"?>
<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>Accept-Ranges</ExposeHeader>
    <ExposeHeader>Content-Length</ExposeHeader>
    <ExposeHeader>Content-Range</ExposeHeader>
    <ExposeHeader>Content-Type</ExposeHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>
`

function listen(server: Server, port: number, host = HOST): Promise<AddressInfo> {
  // Longer than the SDK keeps an idle socket: with Node's 5 s default, a request that
  // reuses a socket just as the emulator closes it fails with ECONNRESET and is retried.
  server.keepAliveTimeout = 65_000
  return new Promise((resolvePromise, reject) => {
    const onError = (err: Error) => reject(err)
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolvePromise(server.address() as AddressInfo)
    })
  })
}

/** Closes an HTTP server, dropping keep-alive sockets that clients left open. */
function closeServer(server: Server, close: (cb: (err?: Error) => void) => void): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    close((err) => (err ? reject(err) : resolvePromise()))
    server.closeIdleConnections()
    // Anything still connected after a short grace period is cut.
    const timer = setTimeout(() => server.closeAllConnections(), 250)
    timer.unref()
    server.once('close', () => clearTimeout(timer))
  })
}

/**
 * Where the throw-away S3 directory goes: /dev/shm (RAM) when it exists with room to
 * spare, else the OS temp dir. s3rver keeps three files per object, and creating
 * thousands of small files on a VM disk costs seconds; in tmpfs it costs milliseconds.
 */
async function scratchBase(): Promise<string> {
  if (process.platform === 'linux') {
    try {
      const fs = await statfs('/dev/shm')
      if (fs.bavail * fs.bsize >= 256 * 1024 * 1024) return '/dev/shm'
    } catch {
      // no /dev/shm: use the temp dir
    }
  }
  return tmpdir()
}

const SCRATCH_PREFIX = 'thermal-viewer-s3-'

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0) // signal 0: an existence check, nothing is sent
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * A new temporary S3 directory named after this process. Directories left behind by
 * processes that died without close() (they live in RAM under /dev/shm) are removed.
 */
async function freshScratchDir(log?: EmbeddedLogger): Promise<string> {
  const base = await scratchBase()
  try {
    for (const name of await readdir(base)) {
      const pid = Number(new RegExp(`^${SCRATCH_PREFIX}(\\d+)-`).exec(name)?.[1])
      if (pid && pid !== process.pid && !isAlive(pid)) {
        await rm(join(base, name), { recursive: true, force: true })
        log?.info({ dir: join(base, name) }, 'removed a stale embedded S3 directory')
      }
    }
  } catch {
    // best effort
  }
  return mkdtemp(join(base, `${SCRATCH_PREFIX}${process.pid}-`))
}

/** Inside DATA_DIR: the pid of the process whose emulators use it. */
export const DATA_DIR_LOCK = 'embedded.lock'
/** The data dirs (real paths) this process holds or is taking, so a second start inside one process is refused too. */
const heldDataDirs = new Set<string>()

const readPid = async (path: string): Promise<number | undefined> => {
  const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim())
  return Number.isInteger(pid) && pid > 0 ? pid : undefined
}

/**
 * One process at a time per DATA_DIR. LevelDB admits one opener, and dynalite
 * reports a second one only later, as an unhandled "Database is closed" that
 * names neither the directory nor the other process. A lock file with the
 * holder's pid turns that into a clear error at start-up.
 *
 * The file is made complete under a private name and then hard-linked into
 * place, which fails if a lock exists: no one ever reads a half-written lock.
 * A lock whose process is gone (or whose pid is this process's, as after a
 * container restart with pid 1) is moved aside and checked again before it is
 * dropped, so two processes taking over the same stale lock cannot both win.
 * Pids mean nothing across pid namespaces: containers sharing one volume are
 * not kept apart by this file (LevelDB's own lock still refuses the second).
 * `dir` must be a real path. Returns the release.
 */
async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, DATA_DIR_LOCK)
  const inUse = (pid: number) =>
    new Error(`DATA_DIR ${dir} is in use by process ${pid}: stop that process, or give this one another DATA_DIR`)
  // Claimed before the first await, so two starts in one process cannot both get past here.
  if (heldDataDirs.has(dir)) throw inUse(process.pid)
  heldDataDirs.add(dir)
  const mine = join(dir, `${DATA_DIR_LOCK}.${process.pid}.${randomUUID()}`)
  try {
    await writeFile(mine, String(process.pid))
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(mine, path)
        return async () => {
          heldDataDirs.delete(dir)
          // Only our own lock: never one that another process took after a takeover.
          if ((await readPid(path)) === process.pid) await rm(path, { force: true })
        }
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      }
      const holder = await readPid(path)
      if (holder !== undefined && holder !== process.pid && isAlive(holder)) throw inUse(holder)
      const aside = `${mine}.stale`
      try {
        await rename(path, aside)
      } catch (err) {
        // Another process moved it first: try again from the top.
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue
        throw err
      }
      const moved = await readPid(aside)
      if (moved !== holder) {
        // A fresh lock replaced the stale one between the read and the move: put it back.
        await link(aside, path).catch(() => undefined)
        await rm(aside, { force: true })
        if (moved !== undefined && isAlive(moved)) throw inUse(moved)
        continue
      }
      await rm(aside, { force: true })
    }
    throw new Error(`DATA_DIR ${dir}: could not take the lock file ${DATA_DIR_LOCK}`)
  } catch (err) {
    heldDataDirs.delete(dir)
    throw err
  } finally {
    await rm(mine, { force: true })
  }
}

/** s3rver's store writes, done here so each object is fully on disk when the promise resolves. */
async function writeObjectsToStore(
  store: S3rver['store'],
  bucket: string,
  objects: Iterable<EmbeddedObject>,
  concurrency = 16
): Promise<number> {
  const list = [...objects]
  const dirs = new Map<string, Promise<unknown>>()
  let next = 0
  const worker = async () => {
    while (next < list.length) {
      const o = list[next++]!
      const path = store.getResourcePath(bucket, o.key, 'object')
      const dir = dirname(path)
      let made = dirs.get(dir)
      if (!made) {
        made = mkdir(dir, { recursive: true })
        dirs.set(dir, made)
      }
      await made
      await writeFile(path, o.body)
      const md5 = createHash('md5').update(o.body).digest('hex')
      await store.putMetadata(bucket, o.key, { 'content-type': o.contentType }, md5)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, list.length) }, worker))
  return list.length
}

export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedServices> {
  const log = opts.log
  const dataDir = opts.dataDir ? resolve(opts.dataDir) : undefined
  const s3Dir = dataDir ? join(dataDir, 's3') : await freshScratchDir(log)
  const dynamoDir = dataDir ? join(dataDir, 'dynamodb') : undefined
  const tempDir = dataDir ? undefined : s3Dir

  const cleanups: Array<() => Promise<void>> = []
  const runCleanups = async () => {
    const errors: unknown[] = []
    // Reverse start order; keep going when one step fails.
    for (const fn of cleanups.splice(0).reverse()) {
      try {
        await fn()
      } catch (err) {
        errors.push(err)
      }
    }
    if (errors.length > 0) throw errors[0]
  }
  if (tempDir) cleanups.push(() => rm(tempDir, { recursive: true, force: true }))

  try {
    if (dataDir) {
      await mkdir(dataDir, { recursive: true })
      cleanups.push(await lockDataDir(await realpath(dataDir)))
    }
    await mkdir(s3Dir, { recursive: true })
    if (dynamoDir) await mkdir(dynamoDir, { recursive: true })

    const dynamoServer = dynalite({
      path: dynamoDir,
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0
    })
    const dynamoAddress = await listen(dynamoServer, opts.dynamodbPort ?? 0)
    cleanups.push(() => closeServer(dynamoServer, (cb) => dynamoServer.close(cb)))

    const s3rver = new S3rver({
      silent: true,
      directory: s3Dir,
      configureBuckets: [{ name: opts.bucket, configs: [CORS_CONFIGURATION_XML] }]
    })
    // What s3rver.run() does, but on a server of our own: run() leaves a failed listen
    // (port in use) as an unhandled 'error' event that kills the process.
    await s3rver.configureBuckets()
    const s3Server = createServer(s3rver.callback())
    const s3Host = opts.s3Host ?? HOST
    const s3Address = await listen(s3Server, opts.s3Port ?? 0, s3Host)
    cleanups.push(async () => {
      await closeServer(s3Server, (cb) => s3Server.close(cb))
      s3rver.logger.exceptions.unhandle()
      s3rver.logger.close()
    })

    const s3Reach = s3Host === '0.0.0.0' || s3Host === '::' ? HOST : s3Host.includes(':') ? `[${s3Host}]` : s3Host
    const services = {
      s3Endpoint: `http://${s3Reach}:${s3Address.port}`,
      s3Port: s3Address.port,
      dynamodbEndpoint: `http://${HOST}:${dynamoAddress.port}`
    }
    log?.info(
      { ...services, bucket: opts.bucket, dataDir: dataDir ?? null },
      dataDir ? 'embedded emulators started (persistent)' : 'embedded emulators started (in-memory)'
    )

    let closing: Promise<void> | undefined
    return {
      ...services,
      credentials: { ...EMBEDDED_CREDENTIALS },
      writeObjects(objects, bucket = opts.bucket) {
        if (closing) return Promise.reject(new Error('embedded emulators are closed'))
        return writeObjectsToStore(s3rver.store, bucket, objects)
      },
      close() {
        closing ??= runCleanups().then(
          () => log?.info({}, 'embedded emulators stopped'),
          (err: unknown) => {
            log?.warn({ err }, 'error while stopping the embedded emulators')
            throw err
          }
        )
        return closing
      }
    }
  } catch (err) {
    await runCleanups().catch(() => undefined)
    throw err
  }
}
