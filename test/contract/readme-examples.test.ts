import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { packageRoot } from '../../src/package-info.js'
import { buildTestApp } from '../helpers/app.js'

/** Every `curl` line of the README's Examples section (the PRD's examples on localhost) answers 200. */
const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8')
const section = readme.slice(readme.indexOf('### Examples'), readme.indexOf('### Where we deliberately differ'))
const urls = [...section.matchAll(/^curl "?(http:\/\/localhost:5001[^"\s]*)"?$/gm)].map((m) => m[1]!)

// Load shedding is off: on a busy CI machine the event-loop delay alone would shed these examples (it has its own test).
const app = await buildTestApp(t, { MAX_EVENT_LOOP_DELAY_MS: '0' })

t.test('the README examples cover the PRD endpoints and all answer 200', async (t) => {
  t.ok(urls.length >= 16, `${urls.length} examples`)
  const paths = new Set(urls.map((u) => new URL(u).pathname.replace(/leyte_tongonan_20241230_0379/, '{image_id}')))
  for (const p of [
    '/health',
    '/',
    '/api/sites',
    '/api/sectors',
    '/api/periods',
    '/api/pads',
    '/api/mosaic/metadata',
    '/api/mosaic/orthomosaic',
    '/api/mosaic/cameras',
    '/api/optical/{image_id}',
    '/api/thermal/{image_id}',
    '/api/thermal/{image_id}/stats',
    '/api/coverage/stats'
  ]) {
    t.ok(paths.has(p), `an example for ${p}`)
  }
  for (const url of urls) {
    const { pathname, search } = new URL(url)
    const res = await app.inject({ method: 'GET', url: pathname + search })
    t.equal(res.statusCode, 200, url)
  }
})
