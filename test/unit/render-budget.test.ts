import t from 'tap'
import { PREVIEW_SIZES, snapPreviewSize } from '../../schemas/tiles.js'
import { CoordinateGrid } from '../../src/domain/tiles/grid.js'
import { CancelledError, UnavailableError } from '../../src/errors.js'
import { ConcurrencyLimit } from '../../src/services/concurrency-limit.js'
import { SharedWork } from '../../src/tiles/shared-work.js'

const later = () => {
  let resolve!: (v: string) => void
  const promise = new Promise<string>((r) => (resolve = r))
  return { promise, resolve }
}
const tick = () => new Promise((done) => setImmediate(done))

t.test('ConcurrencyLimit with maxWaiting: limit running, bounded waiting, 503 beyond, first come first served', async (t) => {
  const queue = new ConcurrencyLimit(2, { maxWaiting: 1, retryAfterSeconds: 3, busyMessage: 'busy' })
  const jobs = [later(), later(), later()]
  const order: number[] = []
  const runs = jobs.map((job, i) => queue.run(() => job.promise.then((v) => (order.push(i), v))))
  await tick()
  t.same(queue.load, { running: 2, waiting: 1 })
  const refused = queue.run(() => Promise.resolve('never'))
  await t.rejects(refused, UnavailableError)
  await refused.catch((err: UnavailableError) => {
    t.equal(err.statusCode, 503)
    t.same(err.headers, { 'retry-after': '3' })
    t.equal(err.message, 'busy')
  })
  jobs[0]!.resolve('a')
  t.equal(await runs[0], 'a')
  await tick()
  t.same(queue.load, { running: 2, waiting: 0 }, 'the waiter took the freed slot')
  jobs[2]!.resolve('c')
  jobs[1]!.resolve('b')
  t.same(await Promise.all(runs), ['a', 'b', 'c'])
  t.same(queue.load, { running: 0, waiting: 0 })
  t.throws(() => new ConcurrencyLimit(0, { maxWaiting: 1 }), RangeError)
  t.throws(() => new ConcurrencyLimit(1, { maxWaiting: -1 }), RangeError)
})

t.test('ConcurrencyLimit: a waiter whose signal aborts leaves the queue and never runs', async (t) => {
  const queue = new ConcurrencyLimit(1, { maxWaiting: 4 })
  const first = later()
  const running = queue.run(() => first.promise)
  const controller = new AbortController()
  let ran = false
  const waiting = queue.run(async () => {
    ran = true
    return 'x'
  }, controller.signal)
  await tick()
  t.same(queue.load, { running: 1, waiting: 1 })
  controller.abort(new CancelledError('deadline'))
  await t.rejects(waiting, { name: 'CancelledError', message: 'deadline' })
  t.same(queue.load, { running: 1, waiting: 0 })
  first.resolve('done')
  await running
  t.notOk(ran)
  t.same(queue.load, { running: 0, waiting: 0 })
  await t.rejects(
    queue.run(async () => 'y', controller.signal),
    { name: 'CancelledError' },
    'an aborted signal never queues'
  )
})

t.test('SharedWork: the work stops only when every caller has given up', async (t) => {
  const work = new SharedWork()
  let shared: AbortSignal | undefined
  const gate = later()
  let starts = 0
  // `start` shares one load by itself, as the tile cache's single flight does.
  let load: Promise<string> | undefined
  const start = (signal: AbortSignal) => {
    starts++
    shared ??= signal
    return (load ??= gate.promise)
  }
  const a = new AbortController()
  const b = new AbortController()
  const pa = work.run('tile', a.signal, start)
  const pb = work.run('tile', b.signal, start)
  t.equal(work.size, 1)
  a.abort(new CancelledError('a timed out'))
  await t.rejects(pa, { message: 'a timed out' }, 'the caller that gave up stops waiting at once')
  t.equal(shared!.aborted, false, 'the other caller still wants it')
  b.abort(new CancelledError('b timed out'))
  await t.rejects(pb, { message: 'b timed out' })
  t.equal(shared!.aborted, true, 'nobody wants it: the work is told to stop')
  t.match(shared!.reason, { name: 'CancelledError' })
  t.equal(work.size, 0)
  t.equal(starts, 2)

  const c = await work.run('other', new AbortController().signal, async () => 'drawn')
  t.equal(c, 'drawn')
  t.equal(work.size, 0, 'finished work is forgotten')
  t.equal(await work.run('none', undefined, async () => 'no signal'), 'no signal')
  const aborted = new AbortController()
  aborted.abort(new CancelledError('before'))
  await t.rejects(
    work.run('x', aborted.signal, async () => 'never'),
    { message: 'before' }
  )
})

t.test('previews snap down to the documented sizes', async (t) => {
  t.same(PREVIEW_SIZES, [64, 128, 256, 512, 1024, 2048])
  t.equal(snapPreviewSize(64), 64)
  t.equal(snapPreviewSize(127), 64)
  t.equal(snapPreviewSize(1889), 1024)
  t.equal(snapPreviewSize(2047), 1024)
  t.equal(snapPreviewSize(2048), 2048)
  t.equal(snapPreviewSize(10), 64, 'below the smallest: the smallest')
})

t.test('coordinates by strips are the rows of the whole picture', async (t) => {
  const toSource = (x: number, y: number): [number, number] => [x * 1.01 + y * 0.02, y * 0.99 - x * 0.015]
  const grid = new CoordinateGrid([0, -300, 400, 0], 400, 300, toSource, { originX: -5, originY: 5, resX: 0.5, resY: 0.5 })
  const whole = grid.coordinates([2, 2])
  const buffers = { cols: new Float64Array(400 * 64), rows: new Float64Array(400 * 64) }
  let same = true
  for (let y0 = 0; y0 < 300; y0 += 64) {
    const count = Math.min(64, 300 - y0)
    const strip = grid.coordinates([2, 2], buffers, y0, count)
    t.equal(strip.cols.length, 400 * count)
    t.equal(strip.cols.buffer, buffers.cols.buffer, 'written into the buffers given')
    for (let i = 0; i < strip.cols.length; i++) {
      if (strip.cols[i] !== whole.cols[y0 * 400 + i] || strip.rows[i] !== whole.rows[y0 * 400 + i]) same = false
    }
  }
  t.ok(same, 'every strip equals its rows of the whole')
})
