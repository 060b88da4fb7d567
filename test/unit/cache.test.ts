import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { S3Client } from '@aws-sdk/client-s3'
import t from 'tap'
import { loadConfig } from '../../src/config.js'
import { ServiceCaches } from '../../src/cache/service-caches.js'
import { TtlCache, type CacheOutcome } from '../../src/cache/ttl-cache.js'
import { createServices } from '../../src/services/index.js'

const tick = () => new Promise((resolve) => setImmediate(resolve))

function clock(start = Date.parse('2026-01-01T00:00:00Z')) {
  let now = start
  return { now: () => now, advance: (ms: number) => void (now += ms) }
}

function observed() {
  const lookups: CacheOutcome[] = []
  return { lookups, onLookup: (_name: string, outcome: CacheOutcome) => void lookups.push(outcome) }
}

t.test('a hit within the TTL, a reload after it', async (t) => {
  const c = clock()
  const o = observed()
  const cache = new TtlCache<object>({ name: 'x', ttlMs: 1000, maxEntries: 10, now: c.now, onLookup: o.onLookup })
  let loads = 0
  const load = async () => ({ n: ++loads })
  const first = await cache.get('k', load)
  t.equal(await cache.get('k', load), first, 'the same object while fresh')
  c.advance(999)
  t.equal(await cache.get('k', load), first)
  c.advance(2)
  t.not(await cache.get('k', load), first, 'reloaded after the TTL')
  t.equal(loads, 2)
  t.same(o.lookups, ['miss', 'hit', 'hit', 'miss'])
})

t.test('least recently used entries go first', async (t) => {
  const cache = new TtlCache<object>({ name: 'x', ttlMs: 60_000, maxEntries: 2 })
  let loads = 0
  const load = async () => ({ n: ++loads })
  await cache.get('a', load)
  await cache.get('b', load)
  await cache.get('a', load) // a is now the most recent
  await cache.get('c', load) // evicts b
  t.equal(loads, 3)
  await cache.get('a', load)
  t.equal(loads, 3, 'a is still there')
  await cache.get('b', load)
  t.equal(loads, 4, 'b was evicted')
})

t.test('single flight: concurrent misses share one load', async (t) => {
  const o = observed()
  const cache = new TtlCache<object>({ name: 'x', ttlMs: 60_000, maxEntries: 10, onLookup: o.onLookup })
  let loads = 0
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  const load = async () => {
    loads++
    await gate
    return { n: loads }
  }
  const all = Promise.all(Array.from({ length: 20 }, () => cache.get('k', load)))
  await tick()
  release()
  const values = await all
  t.equal(loads, 1, 'one load for 20 callers')
  t.ok(
    values.every((v) => v === values[0]),
    'every caller gets the same object'
  )
  t.equal(o.lookups.filter((x) => x === 'miss').length, 1)
  t.equal(o.lookups.filter((x) => x === 'hit').length, 19, 'joining a load in flight counts as a hit')
})

t.test('failures are shared by the callers in flight but never cached', async (t) => {
  const cache = new TtlCache<object>({ name: 'x', ttlMs: 60_000, maxEntries: 10 })
  let loads = 0
  const failing = async () => {
    loads++
    await tick()
    throw new Error('boom')
  }
  const results = await Promise.allSettled([cache.get('k', failing), cache.get('k', failing)])
  t.same(
    results.map((r) => r.status),
    ['rejected', 'rejected']
  )
  t.equal(loads, 1)
  t.same(await cache.get('k', async () => ({ ok: true })), { ok: true }, 'the next lookup loads again')
  t.equal(cache.size, 1)
  await t.rejects(
    cache.get('sync', () => {
      throw new Error('thrown before any promise')
    }),
    /thrown before/
  )
})

t.test('TTL 0 or size 0: caching off, every lookup loads', async (t) => {
  for (const [ttlMs, maxEntries] of [
    [0, 10],
    [1000, 0]
  ] as const) {
    const o = observed()
    const cache = new TtlCache<object>({ name: 'x', ttlMs, maxEntries, onLookup: o.onLookup })
    let loads = 0
    const load = async () => ({ n: ++loads })
    await Promise.all([cache.get('k', load), cache.get('k', load)])
    await cache.get('k', load)
    t.equal(loads, 3, `ttl ${ttlMs}, max ${maxEntries}`)
    t.equal(cache.enabled, false)
    t.same(o.lookups, [], 'no lookups to report')
  }
})

t.test('per-entry TTL: never longer than the cache TTL; ≤ 0 is not kept', async (t) => {
  const c = clock()
  const cache = new TtlCache<{ n: number }>({ name: 'x', ttlMs: 10_000, maxEntries: 10, now: c.now })
  let loads = 0
  const load = async () => ({ n: ++loads })
  await cache.get('short', load, 100)
  c.advance(101)
  await cache.get('short', load, 100)
  t.equal(loads, 2, 'an entry TTL shorter than the cache TTL applies')
  await cache.get('long', load, 60_000)
  c.advance(10_001)
  await cache.get('long', load, 60_000)
  t.equal(loads, 4, 'capped at the cache TTL')
  await cache.get('never', load, () => 0)
  await cache.get('never', load, () => -5)
  t.equal(loads, 6, 'not kept')
})

t.test('a byte budget bounds large entries', async (t) => {
  const cache = new TtlCache<{ size: number }>({
    name: 'x',
    ttlMs: 60_000,
    maxEntries: 100,
    maxBytes: 1000,
    sizeOf: (v) => v.size
  })
  for (let i = 0; i < 5; i++) await cache.get(`k${i}`, async () => ({ size: 400 }))
  t.equal(cache.size, 2, '2 × 400 fit in 1000 bytes')
})

t.test('clear() drops entries, and a load started before it does not refill the cache', async (t) => {
  const cache = new TtlCache<object>({ name: 'x', ttlMs: 60_000, maxEntries: 10 })
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  const slow = cache.get('k', async () => {
    await gate
    return { stale: true }
  })
  cache.clear()
  release()
  t.same(await slow, { stale: true }, 'the caller still gets its value')
  t.same(await cache.get('k', async () => ({ fresh: true })), { fresh: true })
})

t.test('ServiceCaches: off without settings, one cache per kind with them', async (t) => {
  const off = new ServiceCaches()
  t.equal(off.enabled, false)
  let loads = 0
  await off.discovery.get('k', async () => ({ n: ++loads }))
  await off.discovery.get('k', async () => ({ n: ++loads }))
  t.equal(loads, 2)
  const o = observed()
  const caches = new ServiceCaches({ ttlSeconds: 60, maxEntries: 10, onLookup: o.onLookup })
  t.equal(caches.enabled, true)
  await caches.discovery.get('k', async () => ({ n: ++loads }))
  await caches.discovery.get('k', async () => ({ n: ++loads }))
  t.equal(loads, 3)
  t.same(o.lookups, ['miss', 'hit'])
  caches.clear()
  await caches.discovery.get('k', async () => ({ n: ++loads }))
  t.equal(loads, 4)
})

/** Services over clients that are never called: presigning is local. */
function services(presignExpiresSeconds: number, ttlSeconds: number) {
  const c = clock()
  const caches = new ServiceCaches({ ttlSeconds, maxEntries: 100, now: c.now })
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }
  const s3 = new S3Client({ region: 'ap-southeast-1', credentials })
  const dynamodb = new DynamoDBClient({ region: 'ap-southeast-1', credentials })
  const s = createServices({
    doc: DynamoDBDocumentClient.from(dynamodb),
    dynamodb,
    s3,
    config: loadConfig({
      S3_BUCKET: 'bucket-for-tests',
      IMAGES_TABLE: 'images',
      PADS_TABLE: 'pads',
      MEASUREMENTS_TABLE: 'measurements',
      PRESIGN_EXPIRES_SECONDS: String(presignExpiresSeconds),
      READY_CACHE_MS: '0'
    }),
    caches,
    now: c.now
  })
  const q = { site: 'leyte', sector: 'tongonan', period: '20241230', pad_id: 'leyte_tongonan_PAD_105', mosaic_type: 'optical' as const }
  const ctx = { log: { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined }, calls: {} }
  return { clock: c, url: () => s.mosaic.orthomosaicUrl(ctx, q) }
}

t.test('presigned URLs are reused only while more than half their life is left', async (t) => {
  const s = services(3600, 86_400)
  const first = await s.url()
  t.match(first.url, /X-Amz-Expires=3600/)
  t.equal(Date.parse(first.expires_at), s.clock.now() + 3600_000)
  s.clock.advance(1799_000)
  t.equal(await s.url(), first, 'reused with 1,801 s of 3,600 left')
  s.clock.advance(1001)
  const second = await s.url()
  t.not(second.url, first.url, 'signed again once half the life is gone')
  t.equal(Date.parse(second.expires_at), s.clock.now() + 3600_000, 'a fresh full lifetime')
})

t.test('presigned URLs also follow the cache TTL when it is shorter', async (t) => {
  const s = services(3600, 60)
  const first = await s.url()
  s.clock.advance(59_000)
  t.equal(await s.url(), first)
  s.clock.advance(2000)
  t.not((await s.url()).url, first.url)
})

t.test('short-lived URLs: half of PRESIGN_EXPIRES_SECONDS bounds reuse', async (t) => {
  const s = services(20, 60)
  const first = await s.url()
  s.clock.advance(9000)
  t.equal(await s.url(), first, '11 s of 20 left')
  s.clock.advance(1001)
  t.not((await s.url()).url, first.url, 'under half left: a new URL')
})
