import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { gzipSync } from 'node:zlib'
import { join } from 'node:path'
import { PDFParse } from 'pdf-parse'
import t from 'tap'
import { MAX_REPORT_ROWS, REPORT_BODY_LIMIT, REPORT_CSV_COLUMNS, REPORT_HEAT_CSV_COLUMNS } from '../../schemas/line-loss.js'
import { LINE_LOSS_DEMO as DEMO } from '../../demo/seed/line-loss-demo.js'
import { buildTestApp } from '../helpers/app.js'

// The machine is shared: load shedding (a 503 under event-loop delay) is not what these tests are about,
// nor is the deadline: under tsx the first PDF starts a worker thread that compiles its modules, seconds on a busy machine.
const app = await buildTestApp(t, { MAX_EVENT_LOOP_DELAY_MS: '0', REQUEST_TIMEOUT_MS: '30000', CORS_ORIGINS: 'https://viewer.example' })
const survey = `/api/report/${DEMO.site}/${DEMO.sector}`

async function pdfText(body: Buffer): Promise<{ text: string; pages: number }> {
  const parser = new PDFParse({ data: new Uint8Array(body) })
  const result = await parser.getText()
  await parser.destroy()
  return { text: result.text, pages: result.total }
}

async function download(url: string): Promise<Buffer> {
  const res = await fetch(url)
  if (!res.ok) throw new Error(`${url}: ${res.status}`)
  return Buffer.from(await res.arrayBuffer())
}

t.test('pre-generated reports: PDF, CSV and visual PDF, from one listing', async (t) => {
  app.services.caches.clear()
  app.aws.calls.reset()
  const res = await app.inject({ method: 'GET', url: `${survey}/${DEMO.period}` })
  t.equal(res.statusCode, 200)
  t.same(app.aws.calls.snapshot(), { 'S3.ListObjectsV2': 1 }, 'one listing, no HEAD per file')
  const body = res.json()
  t.same(Object.keys(body).sort(), ['csv_url', 'expires_at', 'pdf_url', 'period', 'sector', 'site', 'visual_pdf_url'])
  t.match(body.pdf_url, /\/outputs\/leyte\/tongonan\/20241230\/reports\/line-loss-report\.pdf\?/)
  t.match(body.visual_pdf_url, /line-loss-visual-report\.pdf\?/)
  const pdf = await download(body.pdf_url)
  t.equal(pdf.subarray(0, 5).toString(), '%PDF-', 'the presigned PDF downloads')
  const csv = (await download(body.csv_url)).toString()
  t.match(csv, /^site,leyte\r\n/)
  t.match(csv, /\r\nPad 105,9\.60,3,17\.28\r\n/)
})

t.test('without a visual PDF, and without a CSV: only the files that exist are signed', async (t) => {
  const noVisual = (await app.inject({ method: 'GET', url: `${survey}/${DEMO.prefixPeriod}` })).json()
  t.ok(noVisual.pdf_url && noVisual.csv_url)
  t.notOk('visual_pdf_url' in noVisual, 'no visual PDF')
  const noCsv = (await app.inject({ method: 'GET', url: `${survey}/${DEMO.suffixedPeriod}` })).json()
  t.ok(noCsv.pdf_url)
  t.notOk('csv_url' in noCsv, 'the CSV is missing, so it is not signed')
  t.notOk('visual_pdf_url' in noCsv)
})

t.test('no report PDF: 404', async (t) => {
  const res = await app.inject({ method: 'GET', url: `${survey}/20241115` })
  t.equal(res.statusCode, 404)
  t.same(res.json(), {
    error: 'no report available for leyte/tongonan/20241115; reports are generated after PipeMeasure processing completes'
  })
  const hostile = await app.inject({ method: 'GET', url: `${survey}/..%2F..%2Fx` })
  t.equal(hostile.statusCode, 400)
  t.match(hostile.json().error, /^invalid path parameter 'period'/)
})

const EXPECTED_ROWS = [
  ['Pad 2', '8.00', '2', '14.40'],
  ['Pad 10', '5.60', '1', '10.08'],
  ['Pad 105', '9.60', '3', '17.28'],
  ['Pad tgn-ss1', 'N/A', '', ''],
  ['Total', '23.20', '6', '41.76']
]

/** The heat-loss cells of each expected row, as GET /api/heat-loss gives the figures: kW, MWh/yr, excess kW, excess MWh/yr. */
async function expectedHeatCells(): Promise<string[][]> {
  const heat = (await app.inject({ method: 'GET', url: `/api/heat-loss?site=leyte&sector=tongonan&period=${DEMO.period}` })).json()
  const cells = (f: any) => [
    f.heat_loss_kw.toFixed(2),
    f.heat_loss_mwh_yr.toFixed(1),
    f.excess_heat_loss_kw.toFixed(2),
    f.excess_heat_loss_mwh_yr.toFixed(1)
  ]
  const pad = (id: string) => heat.pads.find((p: any) => p.pad_id === id)
  return [
    cells(pad('leyte_tongonan_PAD_2')),
    ['n/a', 'n/a', 'n/a', 'n/a'],
    cells(pad('leyte_tongonan_PAD_105')),
    ['N/A', 'N/A', 'N/A', 'N/A'],
    cells(heat.totals)
  ]
}

t.test('generated CSV: one row per pad in natural order, N/A, then the total', async (t) => {
  const res = await app.inject({ method: 'GET', url: `${survey}/${DEMO.period}/line-loss.csv` })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/csv/)
  t.equal(res.headers['content-disposition'], 'attachment; filename="line-loss-report-tongonan-20241230.csv"')
  const lines = res.body.split('\r\n')
  t.same(lines.slice(0, 3), ['site,leyte', 'sector,tongonan', 'period,20241230'])
  t.match(lines[3], /^generated,\d{4}-\d{2}-\d{2}$/)
  // The heat loss: its totals with their ranges, the inputs and the method, then the blank line.
  const blank = lines.indexOf('')
  const block = lines.slice(4, blank)
  t.same(
    block.map((l) => l.split(',')[0]),
    [...Array(3).fill('heat_loss_total'), ...Array(3).fill('heat_loss_inputs'), 'heat_loss_method']
  )
  t.match(
    block[0],
    /^heat_loss_total,"Heat loss: \d+\.\d\d kW \(\d+\.\d\d–\d+\.\d\d\), \d+\.\d MWh\/yr \(.+\), from 2 of 3 measured pads\."$/
  )
  t.equal(block[2], 'heat_loss_total,n/a: Pad 10 (no pipe diameter known).')
  t.match(block[3], /Ambient 25\.0 °C \(survey: median calibration\.params\.ambient_temp of \d+ images\)/)
  t.match(block[5], /Pad 10: D n\/a, emissivity 0\.92 \(survey\)/)
  t.match(block[6], /Churchill-Chu .* Churchill-Bernstein .* Incropera Table A\.4/)
  const heat = await expectedHeatCells()
  const notes = ['', 'no pipe diameter known', '', '', '']
  t.same(lines.slice(blank + 1, -1), [
    [...REPORT_CSV_COLUMNS, ...REPORT_HEAT_CSV_COLUMNS].join(','),
    ...EXPECTED_ROWS.map((r, i) => [...r, ...heat[i]!, notes[i]].join(','))
  ])
})

t.test('generated PDF: A4, every row and the total as text, rendered to PNG', async (t) => {
  const res = await app.inject({ method: 'GET', url: `${survey}/${DEMO.period}/line-loss.pdf` })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/pdf')
  t.equal(res.headers['content-disposition'], 'attachment; filename="line-loss-report-tongonan-20241230.pdf"')
  const pdf = res.rawPayload
  t.match(pdf.toString('latin1'), /\/MediaBox \[0 0 595\.28 841\.89\]/, 'A4')
  const { text, pages } = await pdfText(pdf)
  t.equal(pages, 1)
  for (const heading of ['Line-loss report', 'Site: leyte', 'Sector: tongonan', 'Period: 20241230', 'Generated:']) {
    t.ok(text.includes(heading), `header: ${heading}`)
  }
  const lines = text.split('\n').map((l) => l.trim().replace(/\s+/g, ' '))
  const heat = await expectedHeatCells()
  for (const [i, row] of EXPECTED_ROWS.entries()) {
    const line = [...row, ...heat[i]!].filter(Boolean).join(' ')
    t.ok(lines.includes(line), `table row: ${line}`)
  }
  t.ok(text.includes('Length of anomalous pipe per pad (m)'), 'the bar chart')
  for (const part of ['Loss kW', 'Loss MWh/yr', 'Excess kW', 'Excess MWh/yr', 'Heat loss (estimate)', 'Inputs:', 'Method:']) {
    t.ok(text.includes(part), `heat loss: ${part}`)
  }
  t.match(text, /Heat loss: [\d.]+ kW \([\d.]+–[\d.]+\), [\d.]+ MWh\/yr/, 'the total with its range')
  t.match(text, /Excess over sound insulation \(what repairs would save\): [\d.]+ kW/)
  t.match(text, /Ambient 25\.0 °C/, 'the inputs')
  const chart = text.slice(text.indexOf('Excess heat loss per pad (kW), largest first'))
  t.match(chart, /Pad 105\s+[\d.]+ kW\s+Pad 2\s+[\d.]+ kW\s+Pad 10\s+n\/a: no pipe diameter known/, 'the chart ranks by excess heat loss')

  // Rendered once, where poppler is installed (.ci/run installs it), for a person to look at.
  if (existsSync('/usr/bin/pdftoppm')) {
    const dir = mkdtempSync(join(tmpdir(), 'line-loss-'))
    writeFileSync(join(dir, 'report.pdf'), pdf)
    execFileSync('/usr/bin/pdftoppm', ['-png', '-r', '60', '-singlefile', join(dir, 'report.pdf'), join(dir, 'report')])
    const png = readFileSync(join(dir, 'report.png'))
    t.equal(png.subarray(1, 4).toString(), 'PNG')
    t.equal(png.readUInt32BE(16), Math.ceil((595.28 / 72) * 60), 'an A4 page at 60 dpi')
    t.comment(`rendered: ${join(dir, 'report.png')}`)
  } else {
    t.comment('pdftoppm not installed: PNG rendering left out')
  }
})

t.test('a known survey without measurements: every pad N/A', async (t) => {
  const res = await app.inject({ method: 'GET', url: `${survey}/20241115/line-loss.csv` })
  t.equal(res.statusCode, 200)
  const rows = res.body.split('\r\n').slice(6, -1)
  t.same(rows, ['Pad 2,N/A,,', 'Pad 10,N/A,,', 'Pad 105,N/A,,', 'Pad tgn-ss1,N/A,,', 'Total,0.00,0,0.00'])
  const pmsb = await app.inject({ method: 'GET', url: `${survey}/${DEMO.suffixedPeriod}/line-loss.csv` })
  t.equal(pmsb.statusCode, 200, 'a period known only from its measurements')
  t.match(pmsb.body, /\r\nPad tgn-ss1,\d+\.\d\d,6,/)
})

t.test('unknown site, sector or period: 404, not an empty report', async (t) => {
  const cases: [string, string][] = [
    ['/api/report/nowhere/tongonan/20241230/line-loss.pdf', "no pads for site 'nowhere' and sector 'tongonan'"],
    ['/api/report/leyte/nosuch/20241230/line-loss.csv', "no pads for site 'leyte' and sector 'nosuch'"],
    ['/api/report/leyte/tongonan/20990101/line-loss.pdf', "period '20990101' not found for leyte/tongonan"]
  ]
  for (const [url, error] of cases) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 404, url)
    t.same(res.json(), { error })
  }
  const hostile = await app.inject({ method: 'GET', url: `/api/report/leyte/${'x'.repeat(100)}/20241230/line-loss.pdf` })
  t.equal(hostile.statusCode, 400)
  t.match(hostile.json().error, /^invalid path parameter 'sector'/)
})

const post = (payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: '/api/report/generate',
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload)
  })

t.test('POST /api/report/generate: the original contract, the same renderer', async (t) => {
  const res = await post({
    site: 'leyte',
    sector: 'tongonan',
    period: '20241230',
    date: '2025-01-06',
    rows: [
      { section: 'Pad 101', length: '1.50' },
      { section: 'Pad 102', length: 'N/A' },
      { section: 'Pad 103', length: 2.25 }
    ]
  })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/pdf')
  t.equal(res.headers['content-disposition'], 'attachment; filename="line-loss-report-tongonan.pdf"')
  const lines = (await pdfText(res.rawPayload)).text.split('\n').map((l) => l.trim().replace(/\s+/g, ' '))
  for (const line of ['Pad 101 1.50', 'Pad 102 N/A', 'Pad 103 2.25', 'Total 3.75', 'Generated: 2025-01-06', 'Period: 20241230']) {
    t.ok(lines.includes(line), line)
  }
  const many = await post({
    site: 'leyte',
    sector: 'tongonan',
    rows: Array.from({ length: MAX_REPORT_ROWS }, (_, i) => ({ section: `Pad ${i}`, length: '1.00' }))
  })
  t.equal(many.statusCode, 200, `${MAX_REPORT_ROWS} rows`)
  const parsed = await pdfText(many.rawPayload)
  t.ok(parsed.pages > 1, `${parsed.pages} pages`)
  t.ok(parsed.text.includes(`Total ${MAX_REPORT_ROWS}.00`), 'the total on the last table page')
})

t.test('POST errors: 400 naming the field, 413 over the limit, 415 for a body that is not JSON', async (t) => {
  const cases: [unknown, string][] = [
    [{ sector: 'tongonan', rows: [] }, "missing required body parameter 'site'"],
    [{ site: 'leyte', rows: [] }, "missing required body parameter 'sector'"],
    [{ site: 'leyte', sector: 'tongonan' }, "missing required body parameter 'rows'"],
    [{ site: 'leyte', sector: 'tongonan', rows: 'Pad 1,1.5' }, "invalid body parameter 'rows': expected array"],
    [{ site: 'leyte', sector: 'tongonan', rows: [{ section: 'Pad 1' }] }, "missing required body parameter 'rows.0.length'"],
    [{ site: 'leyte', sector: 'tongonan', rows: [{ section: 'Pad 1', length: '1.5m' }] }, "invalid body parameter 'rows.0.length'"],
    [{ site: 'leyte', sector: 'tongonan', rows: [null] }, "invalid body parameter 'rows.0': expected object"],
    [{ site: 'leyte', sector: 'tong"onan', rows: [] }, "invalid body parameter 'sector'"],
    [
      { site: 'leyte', sector: 'tongonan', rows: Array.from({ length: MAX_REPORT_ROWS + 1 }, () => ({ section: 'P', length: 'N/A' })) },
      "invalid body parameter 'rows': expected array length to be less or equal to 500"
    ],
    ['{"site": "leyte", ', 'request body is not valid JSON']
  ]
  for (const [payload, error] of cases) {
    const res = await post(payload)
    t.equal(res.statusCode, 400, error)
    t.match(res.json().error, error)
  }
  const empty = await app.inject({ method: 'POST', url: '/api/report/generate' })
  t.equal(empty.statusCode, 400, 'no body at all')

  const big = await post({
    site: 'leyte',
    sector: 'tongonan',
    rows: [{ section: 'x'.repeat(100), length: '1.00' }],
    pad: 'y'.repeat(REPORT_BODY_LIMIT)
  })
  t.equal(big.statusCode, 413)
  t.same(big.json(), { error: `request body too large: at most ${REPORT_BODY_LIMIT} bytes` })
  const json = JSON.stringify({ site: 'leyte', sector: 'tongonan', rows: [] })
  for (const type of [
    'text/plain',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/jsonx'
  ]) {
    const res = await post(json, { 'content-type': type })
    t.equal(res.statusCode, 415, `Content-Type ${type}: 415`)
    t.same(res.json(), { error: 'unsupported Content-Type: send application/json' }, type)
  }
  const untyped = await app.inject({ method: 'POST', url: '/api/report/generate', payload: json, headers: { 'content-type': '' } })
  t.equal(untyped.statusCode, 415, 'a body without a Content-Type: 415')
  // A plain body that claims an encoding, and a body that is really compressed: neither is read.
  for (const [encoding, payload] of [
    ['gzip', json],
    ['gzip', gzipSync(json)],
    ['br', json],
    ['deflate, gzip', json],
    ['x-unknown', json]
  ] as const) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/report/generate',
      headers: { 'content-type': 'application/json', 'content-encoding': encoding },
      payload
    })
    t.equal(res.statusCode, 415, `Content-Encoding ${encoding}: 415`)
    t.same(res.json(), { error: 'unsupported Content-Encoding: send the body uncompressed' })
  }
  const accepted: Record<string, string>[] = [
    { 'content-type': 'application/json; charset=utf-8' },
    { 'content-type': 'Application/JSON', 'content-encoding': 'identity' }
  ]
  for (const headers of accepted) {
    t.equal((await post(json, headers)).statusCode, 200, `accepted: ${JSON.stringify(headers)}`)
  }

  // Every other route keeps the 1 KB limit.
  const elsewhere = await app.inject({ method: 'POST', url: '/api/sites', headers: { 'content-type': 'application/json' }, payload: '{}' })
  t.equal(elsewhere.statusCode, 404)
})

t.test('CORS: POST is allowed for the generate route only', async (t) => {
  const preflight = (url: string) =>
    app.inject({
      method: 'OPTIONS',
      url,
      headers: {
        origin: 'https://viewer.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type'
      }
    })
  const generate = await preflight('/api/report/generate')
  t.equal(generate.statusCode, 204)
  t.match(generate.headers['access-control-allow-methods'], /POST/)
  t.equal(generate.headers['access-control-allow-origin'], 'https://viewer.example')
  const other = await preflight('/api/sites')
  t.notMatch(other.headers['access-control-allow-methods'], /POST/)
  const get = await app.inject({
    method: 'GET',
    url: `${survey}/${DEMO.period}/line-loss.pdf`,
    headers: { origin: 'https://viewer.example' }
  })
  t.match(get.headers['access-control-expose-headers'], /content-disposition/, 'the viewer can read the file name')
})
