import { buildApp } from '../../src/app.js'
import { startEmbeddedData } from '../../demo/embedded/embedded-data.js'
import { loadConfig } from '../../src/config.js'
import { assertConforms } from './contract.js'

export interface Teardown {
  teardown(fn: () => unknown): void
}

/**
 * Builds the app exactly as `npm start` does (embedded emulators, seeded demo
 * data, real AWS SDK), with the given environment on top of the defaults.
 */
export async function buildTestApp(t: Teardown, env: Record<string, string> = {}) {
  // Load shedding off unless a test sets it: a busy CI machine's event-loop delay alone would shed requests (it has its own tests).
  const config = loadConfig({ LOG_LEVEL: 'silent', MAX_EVENT_LOOP_DELAY_MS: '0', ...env })
  const app = await buildApp({ embedded: startEmbeddedData, config })
  t.teardown(() => app.close())
  await app.ready()
  checkContract(app)
  return app
}

/**
 * Every response received through `inject` is checked against the committed
 * OpenAPI document; a violation throws, which fails the test that made it.
 */
function checkContract(app: { inject: (...args: any[]) => any }) {
  const inject = app.inject.bind(app)
  app.inject = (async (opts: { method?: string; url: string } | string) => {
    const res = await inject(opts)
    const method = typeof opts === 'string' ? 'GET' : (opts.method ?? 'GET')
    const url = typeof opts === 'string' ? opts : opts.url
    assertConforms(method, url, res.statusCode, res.headers['content-type'] as string | undefined, res.body)
    return res
  }) as typeof app.inject
}

/** The query string of a pad-level request, with overrides. */
export function padQuery(overrides: Record<string, string | undefined> = {}): string {
  const base: Record<string, string | undefined> = {
    site: 'leyte',
    sector: 'tongonan',
    period: '20241230',
    pad_id: 'leyte_tongonan_PAD_105',
    ...overrides
  }
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(base)) if (v !== undefined) params.set(k, v)
  return params.toString()
}
