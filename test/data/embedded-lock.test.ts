/**
 * DATA_DIR belongs to one process at a time: a second start gets an error that
 * names the directory and the holder, instead of dynalite's later, unhandled
 * "Database is closed".
 */
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { DATA_DIR_LOCK, startEmbedded } from '../../demo/embedded/emulators.js'
import { loadConfig } from '../../src/config.js'
import { childEnv } from '../helpers/processes.js'

const bucket = loadConfig({}).aws.bucket

function dataDir(t: { teardown(fn: () => void): void }): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'tv-lock-')))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

t.test('a second start on a DATA_DIR in use is refused with the holder named; after close it starts again', async (t) => {
  const dir = dataDir(t)
  const first = await startEmbedded({ dataDir: dir, bucket })
  t.equal(readFileSync(join(dir, DATA_DIR_LOCK), 'utf8'), String(process.pid), 'the lock file holds our pid')

  await t.rejects(startEmbedded({ dataDir: dir, bucket }), {
    message: `DATA_DIR ${dir} is in use by process ${process.pid}: stop that process, or give this one another DATA_DIR`
  })
  t.ok(existsSync(join(dir, DATA_DIR_LOCK)), 'the refused start leaves the holder its lock')

  await first.close()
  t.notOk(existsSync(join(dir, DATA_DIR_LOCK)), 'close releases the lock')
  const again = await startEmbedded({ dataDir: dir, bucket })
  await again.close()
})

t.test('a lock file of another live process stops the start before any emulator listens', async (t) => {
  const dir = dataDir(t)
  // The test runner that started this file is alive for as long as the test runs.
  writeFileSync(join(dir, DATA_DIR_LOCK), String(process.ppid))
  await t.rejects(startEmbedded({ dataDir: dir, bucket }), { message: new RegExp(`is in use by process ${process.ppid}:`) })
  t.notOk(existsSync(join(dir, 'dynamodb')), 'nothing was opened')
})

t.test('a lock file left by a process that died, or an empty one, is taken over', async (t) => {
  const dir = dataDir(t)
  const dead = spawnSync(process.execPath, ['-e', '']).pid
  t.ok(dead > 0)
  for (const content of [String(dead), '']) {
    writeFileSync(join(dir, DATA_DIR_LOCK), content)
    const services = await startEmbedded({ dataDir: dir, bucket })
    t.equal(readFileSync(join(dir, DATA_DIR_LOCK), 'utf8'), String(process.pid), `taken over from ${JSON.stringify(content)}`)
    await services.close()
  }
})

t.test('two starts at the same moment: exactly one gets the directory', async (t) => {
  const dir = dataDir(t)
  const outcomes = await Promise.allSettled([startEmbedded({ dataDir: dir, bucket }), startEmbedded({ dataDir: dir, bucket })])
  const started = outcomes.filter((o) => o.status === 'fulfilled')
  const refused = outcomes.filter((o) => o.status === 'rejected')
  t.equal(started.length, 1, 'one start')
  t.equal(refused.length, 1, 'one refusal')
  t.match((refused[0] as PromiseRejectedResult).reason, { message: /is in use by process/ })
  await (started[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof startEmbedded>>>).value.close()
  t.same(
    readdirSync(dir).filter((name) => name.startsWith(DATA_DIR_LOCK)),
    [],
    'no lock files left behind'
  )
})

t.test('a start that fails after taking the lock gives it back', async (t) => {
  const dir = dataDir(t)
  const taken = createServer()
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => taken.close(() => resolve())))
  const port = (taken.address() as AddressInfo).port
  await t.rejects(startEmbedded({ dataDir: dir, bucket, dynamodbPort: port }), { code: 'EADDRINUSE' })
  t.notOk(existsSync(join(dir, DATA_DIR_LOCK)), 'released')
  const services = await startEmbedded({ dataDir: dir, bucket })
  await services.close()
})

t.test('release leaves alone a lock that is no longer ours', async (t) => {
  const dir = dataDir(t)
  const services = await startEmbedded({ dataDir: dir, bucket })
  writeFileSync(join(dir, DATA_DIR_LOCK), String(process.ppid))
  await services.close()
  t.equal(readFileSync(join(dir, DATA_DIR_LOCK), 'utf8'), String(process.ppid))
})

t.test('two processes starting on one DATA_DIR together: one runs, the other is refused naming it', async (t) => {
  const dir = dataDir(t)
  const embedded = fileURLToPath(new URL('../../demo/embedded/emulators.ts', import.meta.url))
  // Each holds the directory for a few seconds once started, so the two starts overlap.
  const script = `
    const { startEmbedded } = await import(${JSON.stringify(embedded)})
    try {
      const s = await startEmbedded({ dataDir: ${JSON.stringify(dir)}, bucket: ${JSON.stringify(bucket)} })
      console.log('started ' + process.pid)
      await new Promise((r) => setTimeout(r, 4000))
      await s.close()
    } catch (err) {
      console.log('refused ' + err.message)
    }`
  const run = async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'inherit']
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
    await once(child, 'exit')
    return out.trim()
  }
  const outputs = await Promise.all([run(), run()])
  const started = outputs.filter((o) => o.startsWith('started '))
  const refused = outputs.filter((o) => o.startsWith('refused '))
  t.equal(started.length, 1, outputs.join(' | '))
  t.equal(refused.length, 1)
  t.match(refused[0], `is in use by process ${started[0]?.slice('started '.length)}`)
  t.notOk(existsSync(join(dir, DATA_DIR_LOCK)), 'released when the holder closed')
})
