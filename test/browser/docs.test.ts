import { existsSync, mkdtempSync, statSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import t from 'tap'
import { buildTestApp, type Teardown } from '../helpers/app.js'
import { CHROMIUM, newPage } from '../helpers/browser.js'
import { OPERATION_IDS } from '../helpers/contract.js'

/**
 * Swagger UI in a real browser: Debian's Chromium driven by playwright-core
 * (never a downloaded browser), against the app built as in production and
 * listening on a real port.
 */

/** Operations the page must show whatever else the document gains (e.g. getReadiness, GET /ready). */
const REQUIRED_OPERATIONS: readonly string[] = OPERATION_IDS
const UI_TIMEOUT = 20_000

t.setTimeout(180_000)

/** Console errors, page errors and failed requests of a page, as they happen. */
/** The app built with `env`, listening on loopback, and a Chromium page on it with its errors collected. */
async function docsPage(t: Teardown, env: Record<string, string> = {}) {
  const app = await buildTestApp(t, env)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  // Its context is closed by a teardown (teardowns run last-in first-out: before the app's).
  const page = await newPage(t, { viewport: { width: 1280, height: 900 } })
  page.setDefaultTimeout(UI_TIMEOUT)
  return { base: `http://127.0.0.1:${port}`, page, errors: watchErrors(page) }
}

function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url})`)
  })
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  page.on('requestfailed', (r) => errors.push(`requestfailed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`))
  return errors
}

/** Opens one operation, clicks Try it out and Execute, and returns the live response row and the request URL. */
async function execute(page: Page, blockId: string) {
  const block = page.locator(`#${blockId}`)
  await block.locator('.opblock-summary-control').click()
  await block.locator('button.try-out__btn').click()
  await block.locator('button.execute').click()
  // The live table's header row also has a .response-col_status cell ("Code"): read the body row.
  const live = block.locator('.responses-wrapper .live-responses-table tbody tr.response')
  await live.waitFor()
  return {
    // An undocumented status would add "Undocumented" to the cell.
    status: (await live.locator('.response-col_status').textContent())?.trim(),
    body: (await live.locator('.response-col_description .microlight').first().textContent()) ?? '',
    url: (await block.locator('.request-url pre').textContent())?.trim()
  }
}

if (!existsSync(CHROMIUM)) {
  // Not a skip: CI (.ci/run) installs Chromium with apt-get, so its absence is a broken environment.
  t.fail(`${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium) to run the Swagger UI browser test`)
} else {
  t.test('Swagger UI renders the document and runs a request', async (t) => {
    const { base, page, errors } = await docsPage(t)

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
      const { status, body, url } = await execute(page, 'operations-Discovery-listSites')
      t.equal(status, '200', 'status 200, documented')
      t.match(body, /"leyte"/, 'the body lists leyte')
      t.match(body, /"upper-rhine"/, 'the body lists upper-rhine')
      // The request URL Swagger UI built from `servers` points at this very server.
      t.equal(url, `${base}/api/sites`, 'the request URL')
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

  t.test('under BASE_PATH=/viewer: Swagger UI at /viewer/docs runs its requests under the prefix', async (t) => {
    const { base, page, errors } = await docsPage(t, { BASE_PATH: '/viewer', MAX_EVENT_LOOP_DELAY_MS: '0' })
    const outside: string[] = []
    page.on('request', (r) => {
      if (!new URL(r.url()).pathname.startsWith('/viewer/')) outside.push(r.url())
    })

    const res = await page.goto(`${base}/viewer/docs`)
    t.equal(res?.status(), 200, 'GET /viewer/docs')
    await page.locator('.opblock').first().waitFor()
    const { status, body, url } = await execute(page, 'operations-Discovery-listSites')
    t.equal(url, `${base}/viewer/api/sites`, 'Swagger UI sends the request under the prefix')
    t.equal(status, '200', 'and gets a documented 200')
    t.match(body, /"leyte"/, 'the body lists leyte')

    const dir = mkdtempSync(join(tmpdir(), 'tv-docs-viewer-'))
    const file = join(dir, 'docs-viewer.png')
    await page.screenshot({ path: file })
    t.comment(`screenshot: ${file}`)
    t.same(outside, [], 'the page requested nothing outside /viewer/')
    t.same(errors, [], 'no console errors, page errors or failed requests')
  })
}
