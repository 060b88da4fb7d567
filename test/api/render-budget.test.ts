/**
 * The cost bounds of rendering (issue 22): one budget of render slots with a bounded
 * queue and its 503, the request deadline stopping the render it covers, and built
 * overviews kept apart from the tile cache so a sweep of native tiles cannot evict them.
 */
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { testAppOptions } from '../helpers/app.js'
import { ownDemoStore } from '../helpers/demo-store.js'
import { markerTiff, putOrthophoto, testQuery, tileOf } from '../helpers/geotiffs.js'

const bucket = loadConfig({}).aws.bucket
const store = await ownDemoStore(t)

/** An app on this file's store, with its log lines kept. */
async function appWith(env: Record<string, string>) {
  const lines: Record<string, unknown>[] = []
  const app = await buildApp({
    ...(await testAppOptions(t, { MAX_EVENT_LOOP_DELAY_MS: '0', LOG_LEVEL: 'info', ...env }, store)),
    logStream: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }
  })
  t.teardown(() => app.close())
  await app.ready()
  return { app, lines }
}

const mosaic = (lon: number) => markerTiff({ lon, lat: 49.149, size: 3000, res: 0.05, markers: [{ lon, lat: 49.149 }], layout: 'odm' })
// Written once through a first app: three files without overviews (ODM's layout, 512 px blocks).
{
  const { app } = await appWith({})
  await putOrthophoto(app.aws.s3, bucket, 'budget-a', mosaic(8.214).bytes)
  await putOrthophoto(app.aws.s3, bucket, 'budget-b', mosaic(8.3).bytes)
  await putOrthophoto(app.aws.s3, bucket, 'budget-c', mosaic(8.4).bytes)
}

t.test('beyond the render slots and the queue, a render is refused with 503 and Retry-After', async (t) => {
  const { app } = await appWith({ RENDER_CONCURRENCY: '1', RENDER_QUEUE: '1' })
  const q = testQuery('budget-a')
  // Eight distinct pictures at once: one renders, one waits, the rest are refused before any work.
  const sizes = [64, 128, 256, 512]
  const all = await Promise.all(
    sizes.flatMap((size) => ['png', 'webp'].map((format) => app.inject(`/api/mosaic/preview.${format}?${q}&max_size=${size}`)))
  )
  const ok = all.filter((r) => r.statusCode === 200)
  const refused = all.filter((r) => r.statusCode === 503)
  t.equal(ok.length + refused.length, 8, `only 200s and 503s: ${all.map((r) => r.statusCode).join(',')}`)
  t.ok(ok.length >= 2, `the running render and the queued one were drawn (${ok.length})`)
  t.ok(refused.length >= 1, `the others were refused (${refused.length})`)
  for (const r of refused) {
    t.same(r.json(), { error: 'the server is busy rendering; retry later' })
    t.equal(r.headers['retry-after'], '1')
    t.equal(r.headers['cache-control'], 'no-store')
  }
  t.same(app.services.tiles.renders, { running: 0, waiting: 0 }, 'nothing left running or waiting')
  // A picture already drawn is served from the cache while the slots are busy: hits never queue.
  const drawn = all.indexOf(ok[0]!)
  const [size, format] = [sizes[Math.floor(drawn / 2)], drawn % 2 === 0 ? 'png' : 'webp']
  const busy = Promise.all([256, 512, 1024].map((s) => app.inject(`/api/mosaic/preview.jpg?${q}&max_size=${s}`)))
  const hit = await app.inject(`/api/mosaic/preview.${format}?${q}&max_size=${size}`)
  t.equal(hit.statusCode, 200, 'a cached picture is served whatever the queue holds')
  await busy
})

t.test('the request deadline stops the render it covers: nothing runs on after the 504', async (t) => {
  const { app, lines } = await appWith({ REQUEST_TIMEOUT_MS: '300' })
  const s3 = app.aws.s3
  // Each ranged read of the file waits 150 ms first, as a slow S3 would: the preview's eight strips cannot finish in time.
  let reads = 0
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'GetObjectCommand' && (args.input as { Range?: string }).Range?.startsWith('bytes=0-') === false) {
        reads++
        await new Promise((done) => setTimeout(done, 150))
      }
      return next(args)
    },
    { step: 'initialize', name: 'slowReads' }
  )
  const q = testQuery('budget-b')
  // The header first, within the deadline.
  t.equal((await app.inject(`/api/mosaic/info?${q}`)).statusCode, 200)
  reads = 0
  const res = await app.inject(`/api/mosaic/preview.png?${q}&max_size=2048`)
  t.equal(res.statusCode, 504)
  t.same(res.json(), { error: 'request did not complete within 300 ms' })
  // The render stops at its next strip; give a running read time to come back.
  await new Promise((done) => setTimeout(done, 600))
  t.same(app.services.tiles.renders, { running: 0, waiting: 0 }, 'the render slot is free again')
  // A whole 2048 px preview at level 0 reads all six rows of 512 px blocks.
  t.ok(reads < 6, `the render stopped after ${reads} of the 6 block rows`)
  const stopped = lines.filter((l) => l.msg === 'work stopped after the deadline')
  t.equal(stopped.length, 1)
  t.match(stopped[0], { err: { name: 'CancelledError' } })
  t.notOk(
    lines.some((l) => /already sent|Promise errored/.test(String(l.msg)) || l.level === 50),
    'no late reply and no error logged'
  )
  const readsThen = reads
  await new Promise((done) => setTimeout(done, 400))
  t.equal(reads, readsThen, 'and nothing reads any more')
})

t.test('a request that times out while its render waits for a slot leaves the queue', async (t) => {
  const { app } = await appWith({ REQUEST_TIMEOUT_MS: '200', RENDER_CONCURRENCY: '1', RENDER_QUEUE: '4' })
  app.aws.s3.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'GetObjectCommand') await new Promise((done) => setTimeout(done, 120))
      return next(args)
    },
    { step: 'initialize', name: 'slowReads' }
  )
  const q = testQuery('budget-c')
  const all = await Promise.all([64, 128, 256].map((size) => app.inject(`/api/mosaic/preview.png?${q}&max_size=${size}`)))
  t.ok(
    all.every((r) => r.statusCode === 504 || r.statusCode === 200),
    all.map((r) => r.statusCode).join(',')
  )
  t.ok(
    all.some((r) => r.statusCode === 504),
    'the slow reads outlast the deadline'
  )
  // The first render is building the mosaic's overviews, which go on for later requests; the others left the queue.
  t.equal(app.services.tiles.renders.waiting, 0, 'no waiter is left behind')
  for (let i = 0; i < 50 && app.services.tiles.renders.running > 0; i++) await new Promise((done) => setTimeout(done, 100))
  t.same(app.services.tiles.renders, { running: 0, waiting: 0 }, 'and the build ends')
})

t.test('built overviews survive a sweep that fills the tile cache: the next low-zoom tile reads and builds nothing', async (t) => {
  const { app, lines } = await appWith({ TILE_CACHE_MB: '2' })
  const built = () => lines.filter((l) => l.msg === 'built overviews of a mosaic without any').length
  const a = testQuery('budget-a')
  const tj = (await app.inject(`/api/tiles/tilejson.json?${a}`)).json<{ minzoom: number; maxzoom: number }>()
  const low = tileOf(8.214, 49.149, tj.minzoom)
  t.equal((await app.inject(`/api/tiles/${tj.minzoom}/${low.x}/${low.y}.png?${a}`)).statusCode, 200)
  t.equal(built(), 1, 'the first low-zoom tile built the overviews')

  // Native tiles of another mosaic: each decodes 1 MiB blocks, far more than the 2 MiB tile cache holds.
  const b = testQuery('budget-b')
  const centre = tileOf(8.3, 49.149, tj.maxzoom)
  let swept = 0
  for (let i = 0; i < 16; i++) {
    const res = await app.inject(`/api/tiles/${tj.maxzoom}/${centre.x + (i % 4) * 3 - 6}/${centre.y + Math.floor(i / 4) * 3 - 6}.png?${b}`)
    if (res.statusCode === 200) swept++
  }
  t.ok(swept >= 12, `${swept} native tiles drawn`)

  app.aws.calls.reset()
  const next = tileOf(8.214, 49.149, tj.minzoom + 1)
  const res = await app.inject(`/api/tiles/${tj.minzoom + 1}/${next.x}/${next.y}.png?${a}`)
  t.equal(res.statusCode, 200)
  t.equal(app.aws.calls.snapshot()['S3.GetObject'], undefined, `no read: ${JSON.stringify(app.aws.calls.snapshot())}`)
  t.equal(built(), 1, 'and no second build')
})
