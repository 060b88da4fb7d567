import { buildApp, type AppOptions } from '../../src/app.js'
import { createAwsClients } from '../../src/aws/clients.js'
import { startEmbeddedData } from '../../demo/embedded/embedded-data.js'
import { loadConfig } from '../../src/config.js'
import { assertConforms } from './contract.js'
import { sharedDemoStore, type DemoStore } from './demo-store.js'

export interface Teardown {
  teardown(fn: () => unknown): void
}

/**
 * Load shedding off unless a test sets it: a busy CI machine's event-loop delay alone
 * would shed requests (it has its own tests).
 */
const TEST_DEFAULTS = { LOG_LEVEL: 'silent', MAX_EVENT_LOOP_DELAY_MS: '0' }

/**
 * What `buildApp` needs to serve the demo data with `env` on top of the test defaults:
 * its config, and AWS clients on the run's shared read-only store (or on `store`),
 * destroyed by `t`'s teardown. The store is an emulator pair on this machine, as the
 * embedded demo's is, so the config keeps the embedded defaults (AWS timeouts for
 * emulators that share the CPU, no drain) and takes the store's endpoints. With
 * `DATA_SOURCE=aws` in `env` the test names its own endpoints: the config is that
 * environment's, and the app builds its clients from the SDK's default chain.
 */
export async function testAppOptions(t: Teardown, env: Record<string, string> = {}, store?: DemoStore): Promise<AppOptions> {
  const loaded = loadConfig({ ...TEST_DEFAULTS, ...env })
  if (loaded.dataSource === 'aws') return { config: loaded }
  const demo = store ?? (await sharedDemoStore())
  const config = {
    ...loaded,
    dataSource: 'aws' as const,
    aws: { ...loaded.aws, s3Endpoint: demo.s3Endpoint, dynamodbEndpoint: demo.dynamodbEndpoint, s3ForcePathStyle: true }
  }
  const clients = createAwsClients({ ...config.aws, credentials: demo.credentials, http: config.awsHttp })
  t.teardown(() => clients.destroy())
  return { config, clients }
}

/**
 * The app as production builds it (real AWS SDK, real emulators) with the given
 * environment on top of the test defaults, on the run's shared read-only demo store,
 * or on `store` (a test that writes brings its own: `ownDemoStore`).
 */
export async function buildTestApp(t: Teardown, env: Record<string, string> = {}, store?: DemoStore) {
  const app = await buildApp(await testAppOptions(t, env, store))
  t.teardown(() => app.close())
  await app.ready()
  checkContract(app)
  return app
}

/**
 * The app exactly as `npm start` builds it: embedded emulators of its own, seeded
 * with the demo data. For the tests of the embedded mode itself.
 */
export async function buildEmbeddedTestApp(t: Teardown, env: Record<string, string> = {}) {
  const app = await buildApp({ embedded: startEmbeddedData, config: loadConfig({ ...TEST_DEFAULTS, ...env }) })
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
