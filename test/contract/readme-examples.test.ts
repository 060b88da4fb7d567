import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { packageRoot } from '../../src/package-info.js'
import { buildTestApp } from '../helpers/app.js'

/** Every `curl` line of the README's Examples section (the PRD's examples on localhost) answers 200. */
const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8')
const section = readme.slice(readme.indexOf('### Examples'), readme.indexOf('### Where we deliberately differ'))

/** One curl line: its URL, and with `-d` a JSON POST of that body (`-o FILE` and `-H` are curl's business). */
interface Example {
  url: string
  body?: string
}
const examples: Example[] = [...section.matchAll(/^curl (.*)$/gm)].map((m) => {
  const line = m[1]!
  const url = /"?(http:\/\/localhost:5001[^"\s]*)"?/.exec(line)![1]!
  const body = /-d '([^']*)'/.exec(line)?.[1]
  return body === undefined ? { url } : { url, body }
})
const urls = examples.map((e) => e.url)

// Load shedding on a busy machine (a 503 under event-loop delay) is tested elsewhere.
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
  for (const { url, body } of examples) {
    const { pathname, search } = new URL(url)
    const res =
      body === undefined
        ? await app.inject({ method: 'GET', url: pathname + search })
        : await app.inject({ method: 'POST', url: pathname + search, headers: { 'content-type': 'application/json' }, payload: body })
    t.equal(res.statusCode, 200, url)
  }
})

t.test('the README examples cover the line-loss and report operations', async (t) => {
  const templates = new Set(
    examples.map(
      (e) => `${e.body === undefined ? 'GET' : 'POST'} ${new URL(e.url).pathname.replace(/\/leyte\/tongonan\/20241230/, '/{survey}')}`
    )
  )
  for (const op of [
    'GET /api/pipemeasure/measurement/{survey}/leyte_tongonan_PAD_105',
    'GET /api/pipemeasure/measurements/{survey}',
    'GET /api/report/{survey}',
    'GET /api/report/{survey}/line-loss.pdf',
    'GET /api/report/{survey}/line-loss.csv',
    'POST /api/report/generate'
  ]) {
    t.ok(templates.has(op), `an example for ${op}`)
  }
  t.ok(
    urls.some((u) => u.endsWith('?format=geojson')),
    'and the GeoJSON form'
  )
})
