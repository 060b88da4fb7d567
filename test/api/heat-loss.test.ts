import t from 'tap'
import { HEAT_LOSS_CSV_COLUMNS, HEAT_LOSS_LIMITS } from '../../schemas/heat-loss.js'
import { LINE_LOSS_DEMO as DEMO } from '../../demo/seed/line-loss-demo.js'
import { rfc7946Problems } from '../helpers/geojson.js'
import { buildTestApp } from '../helpers/app.js'

const app = await buildTestApp(t)
const SURVEY = `site=${DEMO.site}&sector=${DEMO.sector}&period=${DEMO.period}`
const PAD_105 = 'leyte_tongonan_PAD_105'

async function get(url: string, opts: { cold?: boolean } = {}) {
  if (opts.cold) app.services.caches.clear()
  app.aws.calls.reset()
  const res = await app.inject({ method: 'GET', url })
  return { res, body: res.headers['content-type']?.startsWith('text/csv') ? undefined : res.json(), calls: app.aws.calls.snapshot() }
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)
const close = (a: number, b: number, digits = 3) => Math.abs(a - b) <= 10 ** -digits

t.test('the demo survey: figures where the diameter is known, null and why where it is not', async (t) => {
  const { res, body, calls } = await get(`/api/heat-loss?${SURVEY}`, { cold: true })
  t.equal(res.statusCode, 200)
  t.same(calls, { 'DynamoDB.Query': 2 }, 'cold: the measurements and the survey index')
  t.same(
    body.pads.map((p: any) => p.pad_id),
    DEMO.measuredPads,
    'the measured pads, in natural order'
  )

  t.same(body.inputs.ambient_c, { value: 25, source: 'survey', detail: 'median calibration.params.ambient_temp of 62 images' })
  t.same(body.inputs.sky_c, { value: 25, source: 'default', detail: 'the ambient' })
  t.same([body.inputs.wind_speed_ms.value, body.inputs.wind_speed_ms.source], [null, 'default'])
  t.same([body.inputs.intact_surface_c.source, body.inputs.operating_hours.value], ['survey', 8760])
  t.match(body.inputs.intact_surface_c.detail, /reference temperature/)
  t.match(body.method, {
    natural_convection: /^Churchill and Chu/,
    forced_convection: /^Churchill and Bernstein/,
    air_properties: /Table A\.4/,
    radiation: /5\.670374419e-8/
  })

  const byId = new Map(body.pads.map((p: any) => [p.pad_id, p]))
  const noDiameter: any = byId.get(DEMO.noDiameterPad)
  t.same(noDiameter.inputs.pipe_diameter_m, {
    value: null,
    source: null,
    detail: 'none in the query, the measurement or the configuration'
  })
  t.same([noDiameter.heat_loss_kw, noDiameter.excess_heat_loss_mwh_yr, noDiameter.regions[0].heat_loss_w], [null, null, null])
  t.match(noDiameter.reason, /^no pipe diameter known/)
  t.same(body.totals.pads_without_figures, [DEMO.noDiameterPad])
  t.equal(body.totals.pads_with_figures, 2)

  const measured = body.pads.filter((p: any) => p.pad_id !== DEMO.noDiameterPad)
  for (const pad of measured) {
    t.same(pad.inputs.pipe_diameter_m.source, 'measurement', `${pad.pad_id}: diameter from the measurement`)
    t.same(pad.inputs.emissivity, { value: 0.92, source: 'survey', detail: pad.inputs.emissivity.detail })
    t.match(pad.inputs.emissivity.detail, /^median calibration\.params\.emissivity of \d+ images$/)
    t.ok(pad.heat_loss_kw > 0 && pad.excess_heat_loss_kw > 0 && pad.excess_heat_loss_kw < pad.heat_loss_kw, `${pad.pad_id} loses heat`)
    t.ok(close(pad.heat_loss_kw, sum(pad.regions.map((r: any) => r.heat_loss_w)) / 1000), `${pad.pad_id}: the sum of its regions`)
    t.ok(close(pad.heat_loss_mwh_yr, (pad.heat_loss_kw * 8760) / 1000, 1), `${pad.pad_id}: MWh a year`)
    t.ok(pad.heat_loss_kw_range[0] < pad.heat_loss_kw && pad.heat_loss_kw < pad.heat_loss_kw_range[1], 'within its range')
  }
  t.ok(close(body.totals.heat_loss_kw, sum(measured.map((p: any) => p.heat_loss_kw)), 2), 'the total is the sum of the pads')
  t.ok(close(body.totals.excess_heat_loss_kw, sum(measured.map((p: any) => p.excess_heat_loss_kw)), 2))
  t.equal(body.totals.length_m, sum(measured.map((p: any) => p.length_m)))
  t.comment(
    `demo: ${body.totals.heat_loss_kw} kW ${JSON.stringify(body.totals.heat_loss_kw_range)}, ${body.totals.heat_loss_mwh_yr} MWh/yr ${JSON.stringify(body.totals.heat_loss_mwh_yr_range)}; ` +
      `excess ${body.totals.excess_heat_loss_kw} kW ${JSON.stringify(body.totals.excess_heat_loss_kw_range)}, ${body.totals.excess_heat_loss_mwh_yr} MWh/yr ${JSON.stringify(body.totals.excess_heat_loss_mwh_yr_range)}`
  )

  const warm = await get(`/api/heat-loss?${SURVEY}`)
  t.same(warm.calls, {}, 'warm: no AWS call')
})

t.test('inputs from the query win, and say so', async (t) => {
  const base = (await get(`/api/heat-loss?${SURVEY}`)).body
  const q = 'pipe_diameter_m=0.5&ambient_c=20&emissivity=0.95&wind_speed_ms=3&sky_c=5&intact_surface_c=35&operating_hours=6000'
  const { res, body } = await get(`/api/heat-loss?${SURVEY}&${q}`)
  t.equal(res.statusCode, 200)
  for (const name of ['ambient_c', 'wind_speed_ms', 'sky_c', 'intact_surface_c', 'operating_hours']) {
    t.equal(body.inputs[name].source, 'query', name)
  }
  t.same(body.inputs.wind_speed_ms, { value: 3, source: 'query', detail: 'wind_speed_ms' })
  for (const pad of body.pads) {
    t.same(pad.inputs.pipe_diameter_m, { value: 0.5, source: 'query', detail: 'pipe_diameter_m' })
    t.same(pad.inputs.emissivity, { value: 0.95, source: 'query', detail: 'emissivity' })
  }
  t.same(body.totals.pads_without_figures, [], 'every pad has a diameter now')
  t.ok(body.totals.heat_loss_kw > base.totals.heat_loss_kw, 'wind, a cold sky and a cooler day: more loss')
  t.ok(close(body.totals.heat_loss_mwh_yr, (body.totals.heat_loss_kw * 6000) / 1000, 1), 'at 6000 h a year')

  const calm = (await get(`/api/heat-loss?${SURVEY}&wind_speed_ms=0`)).body
  t.equal(calm.totals.heat_loss_kw, base.totals.heat_loss_kw, 'wind 0 is the still-air estimate')
  t.ok(calm.totals.heat_loss_kw_range[1] < base.totals.heat_loss_kw_range[1], 'a given wind is not varied in the range')
})

t.test('one pad; a pad not measured; surveys without measurements or without images', async (t) => {
  const one = (await get(`/api/heat-loss?${SURVEY}&pad_id=${PAD_105}`)).body
  t.equal(one.pad_id, PAD_105)
  t.same(
    one.pads.map((p: any) => p.pad_id),
    [PAD_105]
  )
  t.equal(one.totals.heat_loss_kw, one.pads[0].heat_loss_kw)

  const unmeasured = await get(`/api/heat-loss?${SURVEY}&pad_id=${DEMO.unmeasuredPad}`)
  t.equal(unmeasured.res.statusCode, 404)
  t.same(unmeasured.body, { error: `no measurement for pad_id '${DEMO.unmeasuredPad}' in period '20241230' (leyte/tongonan)` })

  const none = await get('/api/heat-loss?site=leyte&sector=tongonan&period=20241115')
  t.equal(none.res.statusCode, 200, 'images but no measurements: nothing to estimate')
  t.same([none.body.pads, none.body.totals.heat_loss_kw, none.body.totals.pads_with_figures], [[], 0, 0])

  // Measured by PipeMeasure only: no image records an ambient temperature or an emissivity.
  const pmsb = (await get(`/api/heat-loss?site=leyte&sector=tongonan&period=${DEMO.suffixedPeriod}`)).body
  t.same(pmsb.inputs.ambient_c, { value: 25, source: 'default', detail: "the survey's images recorded no ambient temperature" })
  t.same([pmsb.inputs.intact_surface_c.source, pmsb.inputs.intact_surface_c.value], ['default', 25])
  t.same([pmsb.pads[0].inputs.emissivity.value, pmsb.pads[0].inputs.emissivity.source], [0.9, 'default'])
  t.match(pmsb.pads[0].inputs.emissivity.detail, /aluminium cladding is far lower/)
  t.ok(pmsb.totals.heat_loss_kw > 0)

  for (const url of ['/api/heat-loss?site=leyte&sector=tongonan&period=20990101', '/api/heat-loss?site=nowhere&sector=x&period=20241230']) {
    const res = await get(url)
    t.equal(res.res.statusCode, 404, url)
    t.match(res.body.error, /^period '\d+' not found for .*: no images and no measurements$/)
  }
})

t.test('every input outside its documented range is a 400 naming it', async (t) => {
  for (const [name, { minimum, maximum }] of Object.entries(HEAT_LOSS_LIMITS)) {
    for (const value of [minimum - 0.001, maximum + 1, 'warm']) {
      const { res, body } = await get(`/api/heat-loss?${SURVEY}&${name}=${value}`)
      t.equal(res.statusCode, 400, `${name}=${value}`)
      t.match(body.error, new RegExp(`^invalid query parameter '${name}'`))
    }
    t.equal((await get(`/api/heat-loss?${SURVEY}&${name}=${maximum}`)).res.statusCode, 200, `${name}=${maximum} is in range`)
  }
  for (const [query, param] of [
    ['site=leyte&sector=tongonan', 'period'],
    [`${SURVEY}&pad_id=../x`, 'pad_id'],
    [`${SURVEY}&format=kml`, 'format']
  ] as const) {
    const { res, body } = await get(`/api/heat-loss?${query}`)
    t.equal(res.statusCode, 400, query)
    t.match(body.error, new RegExp(`'${param}'`))
  }
})

t.test('CSV: one row per region', async (t) => {
  const json = (await get(`/api/heat-loss?${SURVEY}`)).body
  const { res } = await get(`/api/heat-loss?${SURVEY}&format=csv`)
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'text/csv; charset=utf-8')
  t.equal(res.headers['content-disposition'], 'attachment; filename="heat-loss_leyte_tongonan_20241230.csv"')
  const [header, ...rows] = res.body.slice(0, -2).split('\r\n')
  t.equal(header, HEAT_LOSS_CSV_COLUMNS.join(','))
  t.equal(rows.length, sum(json.pads.map((p: any) => p.regions.length)))
  const first = json.pads[0].regions[0]
  t.equal(
    rows[0],
    [
      json.pads[0].pad_id,
      first.region_id,
      first.length_m,
      first.mean_temp_c,
      0.35,
      0.92,
      first.heat_loss_w_per_m,
      first.heat_loss_w,
      ...first.heat_loss_w_range,
      first.excess_heat_loss_w,
      ...first.excess_heat_loss_w_range,
      ''
    ].join(',')
  )
  const noDiameter = rows.find((r) => r.startsWith(`${DEMO.noDiameterPad},`))!
  t.match(noDiameter, /^leyte_tongonan_PAD_10,1,5\.6,91\.7,,0\.92,,,,,,,,"no pipe diameter known: pass pipe_diameter_m, /)
})

t.test('GeoJSON: the regions with their figures', async (t) => {
  const json = (await get(`/api/heat-loss?${SURVEY}`)).body
  const { res, body } = await get(`/api/heat-loss?${SURVEY}&format=geojson`)
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/geo\+json/)
  t.same(rfc7946Problems(body), [])
  t.equal(body.features.length, sum(json.pads.map((p: any) => p.regions.length)), 'every demo region has a polygon or a centroid')
  const point = body.features.find((f: any) => f.geometry.type === 'Point')
  t.equal(point.properties.pad_id, DEMO.pointRegionPad, 'a region without a polygon is a Point at its centroid')
  const f = body.features.find((x: any) => x.properties.pad_id === PAD_105)
  t.same(f.properties, { pad_id: PAD_105, ...json.pads[2].regions[0], pipe_diameter_m: 0.6, emissivity: 0.92 })
  const missing = body.features.find((x: any) => x.properties.pad_id === DEMO.noDiameterPad)
  t.same([missing.properties.heat_loss_w, missing.properties.pipe_diameter_m], [null, null])
  t.match(missing.properties.note, /^no pipe diameter known/)
})

t.test('a diameter configured for the site fills in where the measurement has none', async (t) => {
  const configured = await buildTestApp(t, { HEAT_LOSS_PIPE_DIAMETERS_M: 'leyte/tongonan=0.4,leyte=0.2' })
  const body = (await configured.inject({ method: 'GET', url: `/api/heat-loss?${SURVEY}` })).json()
  const byId = new Map(body.pads.map((p: any) => [p.pad_id, p.inputs.pipe_diameter_m]))
  t.same(byId.get(DEMO.noDiameterPad), { value: 0.4, source: 'configuration', detail: 'HEAT_LOSS_PIPE_DIAMETERS_M (leyte/tongonan)' })
  t.same((byId.get(PAD_105) as any).source, 'measurement', "the measurement's own diameter wins")
  t.same(body.totals.pads_without_figures, [])
})
