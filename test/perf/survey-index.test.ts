/**
 * The survey index and the catalog, by exact AWS call counts: a survey costs one
 * Query (its pages) for its first pad and nothing for the others; the index is
 * bounded by SURVEY_CACHE_MAX_IMAGES and evicts by size; the catalog costs one
 * pads-table read, the period Queries and one listing per (sector, period).
 */
import t from 'tap'
import { buildDemoDataset } from '../../demo/seed/demo-dataset.js'
import { buildTestApp } from '../helpers/app.js'

const dataset = buildDemoDataset()
const app = await buildTestApp(t, { MAX_EVENT_LOOP_DELAY_MS: '0' })
type App = typeof app
const SURVEY = 'site=leyte&sector=tongonan&period=20241230'
const pad = (id: string, period = '20241230') => `site=leyte&sector=tongonan&period=${period}&pad_id=leyte_tongonan_PAD_${id}`

async function calls(a: App, url: string): Promise<Record<string, number>> {
  a.aws.calls.reset()
  const res = await a.inject({ method: 'GET', url })
  if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body}`)
  return a.aws.calls.snapshot()
}

t.test('first pad of a survey: one Query; every other pad and endpoint of it: none; warm: none', async (t) => {
  app.services.caches.clear()
  t.same(await calls(app, `/api/mosaic/metadata?${pad('105')}`), { 'DynamoDB.Query': 1 }, 'first pad: the survey Query')
  t.same(await calls(app, `/api/mosaic/metadata?${pad('10')}`), {}, 'second pad: 0')
  t.same(await calls(app, `/api/coverage/stats?${pad('2')}`), {}, 'coverage of a third pad: 0')
  t.same(await calls(app, `/api/mosaic/cameras?${pad('10')}&mosaic_type=medical`), { 'S3.GetObject': 1 }, 'cameras: only the shots.geojson')
  t.same(await calls(app, `/api/hotspots?${SURVEY}&pad_id=leyte_tongonan_PAD_2`), {}, 'hot spots: 0')
  t.same(
    await calls(app, `/api/survey/summary?${SURVEY}`),
    { 'DynamoDB.Query': 2, 'S3.ListObjectsV2': 1 },
    'summary: the pads, the measurements (its heat loss) and the listing, not the survey'
  )
  t.same(await calls(app, `/api/heat-loss?${SURVEY}`), {}, 'heat loss: 0, the measurements and the survey are read')
  for (const url of [
    `/api/mosaic/metadata?${pad('105')}`,
    `/api/mosaic/metadata?${pad('10')}`,
    `/api/hotspots?${SURVEY}&pad_id=leyte_tongonan_PAD_2`
  ]) {
    t.same(await calls(app, url), {}, `warm: ${url}`)
  }
  t.same(await calls(app, `/api/mosaic/metadata?${pad('105', '20250228')}`), { 'DynamoDB.Query': 1 }, 'another survey: its own Query')
})

t.test('the catalog: one Scan, the period Queries, one listing per (sector, period); warm 0', async (t) => {
  app.services.caches.clear()
  const periods = new Map<string, Set<string>>()
  for (const image of dataset.images as any[]) {
    const key = `${image.site_id}/${image.sector_id}`
    if (!periods.has(key)) periods.set(key, new Set())
    periods.get(key)!.add(image.period)
  }
  const surveys = [...periods.values()].reduce((n, s) => n + s.size, 0)
  t.same(
    await calls(app, '/api/catalog'),
    {
      'DynamoDB.Scan': 1,
      'DynamoDB.Query': surveys + periods.size,
      'S3.ListObjectsV2': surveys
    },
    `${periods.size} sectors, ${surveys} surveys`
  )
  t.same(await calls(app, '/api/catalog'), {}, 'warm: 0')
  t.same(await calls(app, '/api/catalog?site=leyte'), {}, 'a site of it: the cached parts, 0')
  t.same(await calls(app, '/api/sites'), {}, 'the sites share the Scan')
  t.same(await calls(app, '/api/periods?site=leyte&sector=tongonan'), {}, 'and the periods their Queries')
})

t.test('the index holds at most SURVEY_CACHE_MAX_IMAGES images and evicts by size', async (t) => {
  const inSurvey = (period: string) => (dataset.images as any[]).filter((i) => i.sector_period === `tongonan#${period}`).length
  const [a, b] = [inSurvey('20241230'), inSurvey('20250228')]
  t.ok(a + b > 100 && a < 100, `${a} + ${b} images`)
  const small = await buildTestApp(t, { MAX_EVENT_LOOP_DELAY_MS: '0', SURVEY_CACHE_MAX_IMAGES: '100' })
  t.same(await calls(small, `/api/mosaic/metadata?${pad('105')}`), { 'DynamoDB.Query': 1 })
  t.same(await calls(small, `/api/mosaic/metadata?${pad('10')}`), {}, 'kept')
  t.same(await calls(small, `/api/mosaic/metadata?${pad('105', '20250228')}`), { 'DynamoDB.Query': 1 }, 'a second survey')
  t.same(await calls(small, `/api/mosaic/metadata?${pad('tgn-ss1', '20250228')}`), {}, 'the newer survey is kept')
  t.same(
    await calls(small, `/api/mosaic/metadata?${pad('2')}`),
    { 'DynamoDB.Query': 1 },
    'the older one was evicted to stay within 100 images'
  )

  const tiny = await buildTestApp(t, { MAX_EVENT_LOOP_DELAY_MS: '0', SURVEY_CACHE_MAX_IMAGES: '50' })
  t.same(await calls(tiny, `/api/mosaic/metadata?${pad('105')}`), { 'DynamoDB.Query': 1 })
  t.same(await calls(tiny, `/api/mosaic/metadata?${pad('10')}`), { 'DynamoDB.Query': 1 }, 'a survey larger than the budget is not kept')
})
