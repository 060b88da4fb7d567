import { existsSync, mkdtempSync, statSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { OPERATION_IDS } from '../helpers/contract.js'

/**
 * Swagger UI in a real browser: Debian's Chromium driven by playwright-core
 * (never a downloaded browser), against the app built as in production and
 * listening on a real port.
 */

const CHROMIUM = '/usr/bin/chromium'
/** Operations the page must show whatever else the document gains (e.g. getReadiness, GET /ready). */
const REQUIRED_OPERATIONS: readonly string[] = OPERATION_IDS
const UI_TIMEOUT = 20_000

t.setTimeout(120_000)

if (!existsSync(CHROMIUM)) {
  // Not a skip: CI (.ci/run) installs Chromium with apt-get, so its absence is a broken environment.
  t.fail(`${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium) to run the Swagger UI browser test`)
} else {
  t.test('Swagger UI renders the document and runs a request', async (t) => {
    const app = await buildTestApp(t)
    await app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = app.server.address() as AddressInfo
    const base = `http://127.0.0.1:${port}`

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage'
      ]
    })
    // Teardowns run last-in first-out: the browser closes before the app (registered by buildTestApp).
    t.teardown(() => browser.close())

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    page.setDefaultTimeout(UI_TIMEOUT)
    const errors: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url})`)
    })
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
    page.on('requestfailed', (r) => errors.push(`requestfailed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`))

    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId?: string; tags?: string[] }>>
    }
    const operations = Object.values(doc.paths).flatMap((item) => Object.values(item))
    const ids = operations.map((op) => op.operationId)
    t.ok(
      ids.every((id) => typeof id === 'string'),
      'every operation has an operationId'
    )
    t.same(
      REQUIRED_OPERATIONS.filter((id) => !ids.includes(id)),
      [],
      'the document has every required operation'
    )

    const res = await page.goto(`${base}/docs`)
    t.equal(res?.status(), 200, 'GET /docs')
    // Over plain HTTP on a non-loopback host this directive sends the page's own
    // assets to https: and leaves it blank; 127.0.0.1 is exempt, so check the header.
    t.notMatch(
      (await res?.allHeaders())?.['content-security-policy'] ?? '',
      /upgrade-insecure-requests/,
      "the CSP does not upgrade the page's own requests to https"
    )
    await page.locator('.opblock').first().waitFor()

    await t.test('every operation is rendered', async (t) => {
      for (const op of operations) {
        const block = page.locator(`#operations-${op.tags?.[0] ?? 'default'}-${op.operationId}`)
        t.equal(await block.count(), 1, `${op.operationId} has its block`)
        t.equal(
          (await block.locator('.opblock-summary-operation-id').textContent())?.trim(),
          op.operationId,
          `${op.operationId} is displayed`
        )
      }
      for (const id of REQUIRED_OPERATIONS) {
        t.equal(await page.locator(`[id^="operations-"][id$="-${id}"]`).count(), 1, `${id} is on the page`)
      }
      // One block per operation: none missing, none repeated under a second tag.
      t.equal(await page.locator('.opblock').count(), operations.length, `${operations.length} .opblock elements`)
    })

    await t.test('Try it out → Execute on GET /api/sites', async (t) => {
      const block = page.locator('#operations-Discovery-listSites')
      await block.locator('.opblock-summary-control').click()
      await block.locator('button.try-out__btn').click()
      await block.locator('button.execute').click()

      // The live table's header row also has a .response-col_status cell ("Code"): read the body row.
      const live = block.locator('.responses-wrapper .live-responses-table tbody tr.response')
      await live.waitFor()
      // An undocumented status would add "Undocumented" to the cell.
      t.equal((await live.locator('.response-col_status').textContent())?.trim(), '200', 'status 200, documented')
      const text = (await live.locator('.response-col_description .microlight').first().textContent()) ?? ''
      t.match(text, /"leyte"/, 'the body lists leyte')
      t.match(text, /"upper-rhine"/, 'the body lists upper-rhine')
      // The request URL Swagger UI built from `servers` points at this very server.
      t.equal(
        (await block.locator('.request-url pre').textContent())?.trim(),
        `${base}/api/sites`,
        'the request URL'
      )
    })

    await t.test('a full-page screenshot', async (t) => {
      const dir = mkdtempSync(join(tmpdir(), 'tv-docs-'))
      const file = join(dir, 'docs.png')
      await page.screenshot({ path: file, fullPage: true })
      t.comment(`screenshot: ${file}`)
      t.ok(statSync(file).size > 0, 'the PNG is not empty')
    })

    t.same(errors, [], 'no console errors, page errors or failed requests')
  })
}
