import fc from 'fast-check'
import t from 'tap'
import { buildTestApp } from '../helpers/app.js'

/**
 * Property: whatever a client sends, the answer is < 500, every error has the
 * documented `{ error }` shape, and nothing internal leaks. Successful answers
 * are checked against the OpenAPI document by the test helper as they arrive.
 */
// Rate limiting and load shedding are off here: the generator shares the app's event
// loop and would trip both; each has its own test (observability.test.ts, below).
const app = await buildTestApp(t, { RATE_LIMIT_MAX: '0', MAX_EVENT_LOOP_DELAY_MS: '0' })

const RUNS = 2200
const LEAK = /(\bat [\w.<>]+ \(|node:internal|node_modules|\.ts:\d|Exception\b|ECONN|\$metadata|TypeError|ReferenceError|Cannot read)/

/** Strings a hostile or careless client sends. */
const hostile = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '..',
    '../x',
    '../../etc/passwd',
    'a/../b',
    '..%2Fx',
    'a%2Fb',
    '%2e%2e%2f',
    '%00',
    '%',
    '%zz',
    '%E0%A4%A',
    '\u0000',
    '\r\nX-Injected: 1',
    '<script>',
    "' OR 1=1 --",
    '{"$ne":null}',
    '*',
    '',
    ' ',
    'null',
    'undefined',
    'NaN',
    '__proto__',
    'constructor',
    'leyte#tongonan',
    'tongonan#20241230'
  ),
  fc.integer({ min: 129, max: 3000 }).map((n) => 'x'.repeat(n)),
  // Values that pass the allow-lists: the request then reaches the emulators.
  fc.constantFrom(
    'leyte',
    'tongonan',
    '20241230',
    '20241231-PMSB',
    'leyte_tongonan_PAD_105',
    'leyte_tongonan_20241230_0379',
    'upper-rhine',
    'optical',
    'medical',
    'hotspot_alert',
    'csv',
    'geojson',
    'kml',
    '5',
    'serious'
  ),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,20}$/)
)

/** Percent-encode, or sometimes send the raw characters (as a broken client would). */
const encode = (value: string, raw: boolean) => (raw ? value.replace(/[#?&\s]/g, (c) => encodeURIComponent(c)) : encodeURIComponent(value))

const QUERY_PARAMS = ['site', 'sector', 'period', 'pad_id', 'mosaic_type', 'palette', 'format', 'limit', 'min_severity', 'extra']

const queryString = fc
  .array(fc.tuple(fc.constantFrom(...QUERY_PARAMS), hostile, fc.boolean()), { maxLength: 8 })
  .map((pairs) => pairs.map(([k, v, raw]) => `${k}=${encode(v, raw)}`).join('&'))

const routes: fc.Arbitrary<string>[] = [
  fc.constant('/health'),
  fc.constant('/ready'),
  fc.constant('/'),
  queryString.map((q) => `/api/sites?${q}`),
  queryString.map((q) => `/api/sectors?${q}`),
  queryString.map((q) => `/api/periods?${q}`),
  queryString.map((q) => `/api/pads?${q}`),
  ...['metadata', 'orthomosaic', 'cameras'].map((r) => queryString.map((q) => `/api/mosaic/${r}?${q}`)),
  fc.tuple(hostile, fc.boolean()).map(([id, raw]) => `/api/optical/${encode(id, raw)}`),
  fc.tuple(hostile, fc.boolean(), queryString).map(([id, raw, q]) => `/api/thermal/${encode(id, raw)}?${q}`),
  fc.tuple(hostile, fc.boolean()).map(([id, raw]) => `/api/thermal/${encode(id, raw)}/stats`),
  queryString.map((q) => `/api/coverage/stats?${q}`),
  ...['hotspots', 'trend', 'survey/summary', 'catalog'].map((r) => queryString.map((q) => `/api/${r}?${q}`))
]

t.test(`${RUNS} hostile requests across every operation`, async (t) => {
  const statuses = new Map<number, number>()
  await fc.assert(
    fc.asyncProperty(fc.oneof(...routes), async (url) => {
      const res = await app.inject({ method: 'GET', url })
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
      if (res.statusCode >= 500) throw new Error(`${res.statusCode} for ${url}: ${res.body}`)
      if (LEAK.test(res.body)) throw new Error(`internal detail leaked for ${url}: ${res.body.slice(0, 300)}`)
      if (res.statusCode >= 400) {
        const body = res.json()
        if (typeof body.error !== 'string' || Object.keys(body).length !== 1) throw new Error(`bad error body for ${url}: ${res.body}`)
      }
    }),
    { numRuns: RUNS, seed: 20261122, endOnFailure: true }
  )
  const summary = [...statuses.entries()]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ')
  t.comment(`statuses: ${summary}`)
  t.ok((statuses.get(400) ?? 0) > RUNS / 4, 'most hostile input is rejected with 400')
  t.ok((statuses.get(200) ?? 0) > 50, 'some generated requests are valid and succeed')
  t.equal([...statuses.keys()].filter((s) => s >= 500).length, 0, 'no 5xx at all')
})

t.test('repeated parameters are a 400 naming the parameter', async (t) => {
  for (const url of [
    '/api/sectors?site=leyte&site=leyte',
    '/api/mosaic/cameras?site=leyte&sector=tongonan&period=20241230&pad_id=a&pad_id=b',
    '/api/thermal/leyte_tongonan_20241230_0379?palette=medical&palette=hotspot_alert'
  ]) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 400, url)
    t.match(res.json().error, /parameter '(site|pad_id|palette)'/)
  }
})
