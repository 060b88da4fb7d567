import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core'
import tap from 'tap'
import type { Teardown } from './app.js'

/** Debian's Chromium: the browser tests never download one (CI installs it with apt-get). */
export const CHROMIUM = '/usr/bin/chromium'

let browser: Promise<Browser> | undefined

/**
 * A page in a context of its own (cookies, cache and storage start empty), closed by
 * `t`'s teardown, in the one Chromium the tests of this file share: it is launched with
 * the file's first page and closed when the file ends.
 */
export async function newPage(t: Teardown, options: BrowserContextOptions = {}): Promise<Page> {
  browser ??= chromium
    .launch({
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
    .then((launched) => {
      tap.teardown(() => launched.close())
      return launched
    })
  const context = await (await browser).newContext(options)
  t.teardown(() => context.close())
  return context.newPage()
}
