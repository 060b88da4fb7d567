/**
 * DATA_DIR belongs to one process at a time: a second start gets an error that
 * names the directory and the holder, instead of dynalite's later, unhandled
 * "Database is closed".
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { DATA_DIR_LOCK, startEmbedded } from '../../src/aws/embedded.js'
import { loadConfig } from '../../src/config.js'

const bucket = loadConfig({}).aws.bucket

function dataDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'tv-lock-'))
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
