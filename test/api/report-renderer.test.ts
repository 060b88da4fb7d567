import { monitorEventLoopDelay } from 'node:perf_hooks'
import t from 'tap'
import { MAX_REPORT_ROWS } from '../../schemas/line-loss.js'
import { renderLineLossPdf } from '../../src/domain/line-loss-pdf.js'
import { postedReport } from '../../src/domain/line-loss-report.js'
import { buildTestApp } from '../helpers/app.js'

/**
 * PDF reports render in a worker pool (REPORT_WORKERS threads, REPORT_QUEUE_MAX waiting),
 * and each client's posted reports in progress are bounded by their cost
 * (REPORT_CLIENT_MAX_COST: 25 per report plus 1 per row).
 */
type App = Awaited<ReturnType<typeof buildTestApp>>

const body = (rows: number, date = '2026-12-06') => ({
  site: 'leyte',
  sector: 'tongonan',
  period: '20241230',
  date,
  rows: Array.from({ length: rows }, (_, i) => ({ section: `Pad ${i}`, length: `${i}.25` }))
})

const post = (app: App, payload: unknown) =>
  app.inject({
    method: 'POST',
    url: '/api/report/generate',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(payload)
  })

/** The report_renders gauge, as /metrics shows it. */
async function renders(app: App): Promise<{ running: number; waiting: number }> {
  const metric = await app.metrics.registry.getSingleMetric('report_renders')!.get()
  const value = (state: string) => metric.values.find((v) => v.labels.state === state)?.value ?? NaN
  return { running: value('running'), waiting: value('waiting') }
}

t.test('the worker renders the same PDF, byte for byte, as the renderer in this thread', async (t) => {
  const app = await buildTestApp(t)
  for (const rows of [0, 3, MAX_REPORT_ROWS]) {
    const sent = body(rows)
    const res = await post(app, sent)
    t.equal(res.statusCode, 200, `${rows} rows`)
    t.ok(res.rawPayload.equals(renderLineLossPdf(postedReport(sent, 'unused'))), `${rows} rows: the same bytes`)
  }
})

t.test('the event loop stays responsive while 20 reports of 500 rows render', async (t) => {
  const app = await buildTestApp(t, { REPORT_QUEUE_MAX: '32', REPORT_CLIENT_MAX_COST: '1000000' })
  // A first report starts the worker and loads pdfkit there; it is not what is measured.
  t.equal((await post(app, body(1))).statusCode, 200, 'warm-up')
  const payload = body(MAX_REPORT_ROWS)
  const delay = monitorEventLoopDelay({ resolution: 10 })
  delay.enable()
  const answers = await Promise.all(Array.from({ length: 20 }, () => post(app, payload)))
  // The monitor records a stall when its timer fires after it. A timer set right after a stall
  // can fire at once (libuv's clock is read once per turn), so two turns of the loop pass first.
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setTimeout(resolve, 30))
  delay.disable()
  t.same(
    answers.map((r) => r.statusCode),
    Array(20).fill(200),
    'all 20 rendered'
  )
  const maxMs = delay.max / 1e6
  t.comment(`event-loop delay while 20 reports rendered: max ${maxMs.toFixed(0)} ms, mean ${(delay.mean / 1e6).toFixed(1)} ms`)
  // In this thread, 20 renders of 500 rows stall the loop for 20 × 30–90 ms in one piece.
  t.ok(maxMs < 500, `the longest event-loop delay is under half a second (${maxMs.toFixed(0)} ms)`)
})

t.test("beyond its share, a client's posted report is a 429 with Retry-After; the share comes back when its reports finish", async (t) => {
  // 25 + 100 rows = 125 per report: one fits, a second at the same time does not.
  const app = await buildTestApp(t, { REPORT_CLIENT_MAX_COST: '200', REPORT_QUEUE_MAX: '32' })
  const both = await Promise.all([post(app, body(100)), post(app, body(100))])
  t.same(both.map((r) => r.statusCode).sort(), [200, 429], 'one renders; the other, sent while the first is in progress, is refused')
  const refused = both.find((r) => r.statusCode === 429)!
  t.equal(refused.headers['retry-after'], '1')
  t.same(refused.json(), {
    error: 'too many reports in progress for this client: their cost (25 per report plus 1 per row) may be at most 200; retry later'
  })
  t.equal((await post(app, body(100))).statusCode, 200, 'once the first has finished, the client may post again')
  t.equal(
    (await post(app, body(MAX_REPORT_ROWS))).statusCode,
    200,
    'a report over the share alone is admitted when nothing else is in progress'
  )
  const small = await Promise.all([post(app, body(0)), post(app, body(0))])
  t.same(
    small.map((r) => r.statusCode),
    [200, 200],
    'two reports within the share render side by side'
  )
})

t.test("beyond the renderer's queue, a report is a 503 with Retry-After, and a refused survey PDF is not kept", async (t) => {
  const app = await buildTestApp(t, { REPORT_WORKERS: '1', REPORT_QUEUE_MAX: '0', REPORT_CLIENT_MAX_COST: '1000000' })
  const survey = '/api/report/leyte/tongonan/20241230/line-loss.pdf'
  const first = post(app, body(MAX_REPORT_ROWS))
  // The others are sent once the first holds the thread, as the report_renders gauge shows.
  while ((await renders(app)).running === 0) await new Promise((resolve) => setTimeout(resolve, 5))
  t.same(await renders(app), { running: 1, waiting: 0 }, 'the gauge shows the report rendering')
  const [rendering, posted, generated] = await Promise.all([first, post(app, body(1)), app.inject({ method: 'GET', url: survey })])
  t.equal(rendering.statusCode, 200, 'the report that got the one thread renders')
  for (const [name, res] of [
    ['POST /api/report/generate', posted],
    ['GET line-loss.pdf', generated]
  ] as const) {
    t.equal(res.statusCode, 503, `${name}: 503 while the thread is busy and no report may wait`)
    t.equal(res.headers['retry-after'], '1', `${name}: Retry-After`)
    t.same(res.json(), { error: 'the report renderer is busy; retry later' }, name)
  }
  const again = await app.inject({ method: 'GET', url: survey })
  t.equal(again.statusCode, 200, 'the survey PDF renders once the thread is free')
  t.equal(again.rawPayload.subarray(0, 5).toString(), '%PDF-')
})
