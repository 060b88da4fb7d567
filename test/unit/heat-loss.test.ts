import t, { type Test } from 'tap'
import { parsePipeDiameters } from '../../src/config.js'
import { AIR_TABLE_RANGE_K, airProperties } from '../../src/domain/heat-loss/air-properties.js'
import { estimateHeatLoss, type PadInputs, type SurveyInputs } from '../../src/domain/heat-loss/estimate.js'
import {
  calibrationEmissivity,
  configuredDiameter,
  measurementDiameter,
  recordedAmbient,
  type ResolvedInput
} from '../../src/domain/heat-loss/inputs.js'
import { heatLossPerMetre, nusseltForced, type SurfaceConditions } from '../../src/domain/heat-loss/pipe-surface.js'
import type { ImageRecord } from '../../src/domain/records.js'

/** `actual` within 3 % of the textbook's `expected`. */
function near(t: Test, actual: number | undefined, expected: number, what: string) {
  const error = actual === undefined ? Infinity : Math.abs(actual - expected) / Math.abs(expected)
  t.ok(error <= 0.03, `${what}: ${actual?.toFixed(3)} vs the book's ${expected} (${(error * 100).toFixed(1)} %)`)
}

const still = (over: Partial<SurfaceConditions> = {}): SurfaceConditions => ({
  diameterM: 0.3,
  ambientC: 25,
  surroundingsC: 25,
  emissivity: 0.9,
  windMs: 0,
  ...over
})

t.test('textbook: a horizontal steam pipe in still air (convection and radiation)', async (t) => {
  // Incropera, DeWitt, Bergman, Lavine, Fundamentals of Heat and Mass Transfer, 6th ed. (Wiley, 2007), Example 9.3:
  // a horizontal steam pipe, D = 0.1 m, surface 165 °C, in a large room whose air and walls are at 23 °C, ε = 0.85.
  // The book: film temperature 367 K, Ra_D = 5.08e6, Nu_D = 23.3 (Churchill–Chu), h = 7.29 W/m²·K,
  // q′ = 325 W/m (convection) + 441 W/m (radiation) = 766 W/m.
  const q = heatLossPerMetre(165, still({ diameterM: 0.1, ambientC: 23, surroundingsC: 23, emissivity: 0.85 }))!
  near(t, q.nuNatural, 23.3, 'Nu_D')
  near(t, q.h, 7.29, 'h')
  near(t, q.convection, 325, 'q′ convection (W/m)')
  near(t, q.radiation, 441, 'q′ radiation (W/m)')
  near(t, q.total, 766, 'q′ (W/m)')
  t.equal(q.nuForced, null, 'still air: natural convection alone')
})

t.test('textbook: a cylinder in cross-flow (Churchill–Bernstein)', async (t) => {
  // Incropera et al., 6th ed. (2007), Example 7.4: a cylinder D = 12.7 mm in a cross-flow of air at 10 m/s and
  // 26.2 °C, surface at 128.4 °C. With properties at the film temperature (≈ 350 K: ν = 20.92e-6 m²/s,
  // k = 0.030 W/m·K, Pr = 0.700) the book's Churchill–Bernstein estimate is Re_D = 6071, Nu_D = 40.6, h = 96.0 W/m²·K.
  const air = airProperties(350)!
  const re = (10 * 0.0127) / air.nu
  near(t, re, 6071, 'Re_D')
  near(t, nusseltForced(re, air.pr), 40.6, 'Nu_D')
  // The whole model at the example's temperatures: natural convection adds 0.1 % to Nu at this Reynolds number.
  const q = heatLossPerMetre(128.4, still({ diameterM: 0.0127, ambientC: 26.2, surroundingsC: 26.2, emissivity: 0, windMs: 10 }))!
  near(t, q.nuForced ?? undefined, 40.6, 'Nu_D, forced, at the film temperature')
  near(t, q.h, 96.0, 'h (W/m²·K), combined with natural convection')
  t.equal(q.radiation, 0, 'ε = 0: no radiation')
})

t.test('textbook: a steam pipe in windy air, per metre', async (t) => {
  // Çengel and Ghajar, Heat and Mass Transfer: Fundamentals and Applications, 5th ed. (McGraw-Hill, 2015),
  // Example 7-6 "Heat loss from a steam pipe in windy air": D = 10 cm, surface 110 °C, air at 10 °C blowing across
  // it at 8 m/s. The book (Churchill–Bernstein, its own air table at 60 °C): Re = 4.219e4, Nu = 124,
  // h = 34.8 W/m²·K, Q̇ = 1093 W per metre (convection only). Its air table differs from Table A.4 by up to 2.5 %.
  const q = heatLossPerMetre(110, still({ diameterM: 0.1, ambientC: 10, surroundingsC: 10, emissivity: 0, windMs: 8 }))!
  near(t, q.nuForced ?? undefined, 124, 'Nu_D')
  near(t, q.h, 34.8, 'h (W/m²·K)')
  near(t, q.total, 1093, 'q′ (W/m)')
})

t.test('air properties: the table rows, interpolation, and nothing outside it', async (t) => {
  const row = airProperties(300)!
  t.same(
    [row.nu * 1e6, row.k * 1e3, row.alpha * 1e6, row.pr].map((v) => Number(v.toFixed(6))),
    [15.89, 26.3, 22.5, 0.707],
    'Table A.4 at 300 K'
  )
  const mid = airProperties(325)!
  t.ok(Math.abs(mid.k - 28.15e-3) < 1e-9, 'halfway between 300 K and 350 K')
  t.ok(airProperties(AIR_TABLE_RANGE_K[0]) && airProperties(AIR_TABLE_RANGE_K[1]), 'both ends are in')
  t.equal(airProperties(AIR_TABLE_RANGE_K[0] - 1), undefined)
  t.equal(airProperties(AIR_TABLE_RANGE_K[1] + 1), undefined)
  t.equal(airProperties(Number.NaN), undefined)
  t.equal(heatLossPerMetre(1400, still()), undefined, 'a film temperature above the table: no estimate')
})

t.test('properties of q′', async (t) => {
  t.same(heatLossPerMetre(25, still()), { total: 0, convection: 0, radiation: 0, h: 0, nuNatural: 0, nuForced: null }, 'T_s = T_a')
  t.equal(heatLossPerMetre(10, still())!.total, 0, 'colder than the air: 0')
  let previous = 0
  for (let ts = 26; ts <= 250; ts += 7) {
    const q = heatLossPerMetre(ts, still())!.total
    t.ok(q > previous, `more ΔT, more loss (${ts} °C)`)
    previous = q
  }
  for (const ts of [35, 80, 160]) {
    const calm = heatLossPerMetre(ts, still())!.total
    const breeze = heatLossPerMetre(ts, still({ windMs: 1 }))!.total
    const wind = heatLossPerMetre(ts, still({ windMs: 5 }))!.total
    t.ok(calm < breeze && breeze < wind, `more wind, more loss (${ts} °C)`)
    const dull = heatLossPerMetre(ts, still({ emissivity: 0.1 }))!.total
    const black = heatLossPerMetre(ts, still({ emissivity: 0.95 }))!.total
    t.ok(dull < calm && calm < black, `more emissivity, more loss (${ts} °C)`)
    const wide = heatLossPerMetre(ts, still({ diameterM: 0.6 }))!.total
    t.ok(wide > calm, `a wider pipe loses more per metre (${ts} °C)`)
    const sky = heatLossPerMetre(ts, still({ surroundingsC: -10 }))!
    t.ok(sky.radiation > heatLossPerMetre(ts, still())!.radiation, `a cold sky takes more radiation (${ts} °C)`)
  }
})

const input = <T>(value: T, source: ResolvedInput<T>['source'] = 'default'): ResolvedInput<T> => ({ value, source, detail: 'test' })

function surveyInputs(over: Partial<SurveyInputs> = {}): SurveyInputs {
  return {
    ambient_c: input(25, 'survey'),
    sky_c: input(25),
    wind_speed_ms: input<number | null>(null),
    intact_surface_c: input(30, 'survey'),
    operating_hours: input(8760),
    ...over
  }
}

function pad(id: string, diameter: number | null, regions: (object | null)[]): PadInputs {
  return {
    pad_id: id,
    pad_name: id,
    measurement: { pad_id: id, region_measurements: regions as never },
    pipe_diameter_m: { value: diameter, source: diameter === null ? null : 'measurement', detail: 'test' },
    emissivity: input(0.9, 'survey')
  }
}

const SURVEY = { site: 's', sector: 'x', period: '20240101', pad_id: null }
const hot = { region_id: 1, length_m: 4, mean_temp_c: 90 }
const mild = { region_id: 2, length_m: 2, mean_temp_c: 45 }

t.test('estimate: regions, pads, totals and their ranges', async (t) => {
  const r = estimateHeatLoss(SURVEY, surveyInputs(), [pad('A', 0.5, [hot, mild]), pad('B', null, [hot])])
  const [a, b] = r.pads
  const perMetre = heatLossPerMetre(90, still({ diameterM: 0.5 }))!.total
  const intact = heatLossPerMetre(30, still({ diameterM: 0.5 }))!.total
  const region = a!.regions[0]!
  t.equal(region.heat_loss_w_per_m, Math.round(perMetre * 10) / 10)
  t.equal(region.heat_loss_w, Math.round(perMetre * 4 * 10) / 10, 'q′ × length')
  t.equal(region.excess_heat_loss_w, Math.round((perMetre - intact) * 4 * 10) / 10, '(q′(T_s) − q′(T_intact)) × length')
  const sumW = a!.regions.reduce((s, x) => s + x.heat_loss_w!, 0)
  t.ok(Math.abs(a!.heat_loss_kw! - sumW / 1000) < 0.001, 'the pad is the sum of its regions')
  t.ok(Math.abs(a!.heat_loss_mwh_yr! - (a!.heat_loss_kw! * 8760) / 1000) < 0.01, 'MWh a year at 8760 h')
  for (const [value, range] of [
    [region.heat_loss_w, region.heat_loss_w_range],
    [region.excess_heat_loss_w, region.excess_heat_loss_w_range],
    [a!.heat_loss_kw, a!.heat_loss_kw_range],
    [r.totals.excess_heat_loss_mwh_yr, r.totals.excess_heat_loss_mwh_yr_range]
  ] as const) {
    const [low, high] = range!
    t.ok(low! < value! && value! < high!, `the range brackets the figure: ${low} < ${value} < ${high}`)
  }

  t.same([b!.heat_loss_kw, b!.excess_heat_loss_mwh_yr_range, b!.regions[0]!.heat_loss_w], [null, null, null], 'no diameter: null')
  t.match(b!.reason, /^no pipe diameter known/)
  t.same(r.totals.pads_without_figures, ['B'])
  t.equal(r.totals.pads_with_figures, 1)
  t.equal(r.totals.heat_loss_kw, a!.heat_loss_kw, 'the totals leave the pad without a diameter out')
  t.equal(r.totals.length_m, 6)
})

t.test('estimate: the range corners', async (t) => {
  const base = estimateHeatLoss(SURVEY, surveyInputs(), [pad('A', 0.5, [hot])]).pads[0]!
  // The lowest estimate is still air, ε − 0.05 and the ambient + 2 °C; the highest 2 m/s, ε + 0.05, ambient − 2 °C.
  const low = heatLossPerMetre(90, still({ diameterM: 0.5, emissivity: 0.85, ambientC: 27, surroundingsC: 27 }))!.total * 4
  const high = heatLossPerMetre(90, still({ diameterM: 0.5, emissivity: 0.95, ambientC: 23, surroundingsC: 23, windMs: 2 }))!.total * 4
  t.same(base.regions[0]!.heat_loss_w_range, [Math.round(low * 10) / 10, Math.round(high * 10) / 10])
  const windy = estimateHeatLoss(SURVEY, surveyInputs({ wind_speed_ms: input<number | null>(2, 'query') }), [pad('A', 0.5, [hot])])
  t.equal(windy.pads[0]!.regions[0]!.heat_loss_w_range![1], Math.round(high * 10) / 10, 'a given wind is not varied')
  t.ok(windy.pads[0]!.heat_loss_kw! > base.heat_loss_kw!, 'with wind, more loss')
  const sky = estimateHeatLoss(SURVEY, surveyInputs({ sky_c: input(-20, 'query') }), [pad('A', 0.5, [hot])])
  t.ok(sky.pads[0]!.heat_loss_kw! > base.heat_loss_kw!, 'a cold sky given: more loss')
  const hours = estimateHeatLoss(SURVEY, surveyInputs({ operating_hours: input(4380, 'query') }), [pad('A', 0.5, [hot])])
  t.ok(Math.abs(hours.pads[0]!.heat_loss_mwh_yr! - base.heat_loss_mwh_yr! / 2) < 0.01, 'half the hours, half the energy')
})

t.test('estimate: cold regions, sound regions and regions without data', async (t) => {
  const r = estimateHeatLoss(SURVEY, surveyInputs(), [
    pad('A', 0.5, [
      { region_id: 'cold', length_m: 3, mean_temp_c: 20 },
      { region_id: 'sound', length_m: 3, mean_temp_c: 28 },
      { region_id: 'blank', length_m: 3 },
      null
    ])
  ])
  const [cold, sound, blank] = r.pads[0]!.regions
  t.equal(r.pads[0]!.regions.length, 3, 'a region that is not an object is skipped')
  t.same([cold!.heat_loss_w, cold!.excess_heat_loss_w, cold!.note], [0, 0, 'not warmer than the ambient: no loss'])
  t.ok(sound!.heat_loss_w! > 0, 'warmer than the air: a loss')
  t.same([sound!.excess_heat_loss_w, sound!.note], [0, 'not warmer than sound insulation: no excess'])
  t.same([blank!.heat_loss_w, blank!.note], [null, 'no length_m or mean_temp_c: left out of the sums'])
  t.equal(r.pads[0]!.length_m, 9)
  t.equal(r.totals.length_m, 9)
  const hot = estimateHeatLoss(SURVEY, surveyInputs(), [pad('A', 0.5, [{ region_id: 1, length_m: 1, mean_temp_c: 1500 }])])
  t.match(hot.pads[0]!.regions[0]!.note, /outside the air table/)
  t.equal(hot.pads[0]!.heat_loss_kw, 0, 'left out of the sums')
  const none = estimateHeatLoss(SURVEY, surveyInputs(), [])
  t.same([none.totals.heat_loss_kw, none.totals.heat_loss_kw_range, none.totals.pads_with_figures], [0, [0, 0], 0])
})

function image(id: string, params?: { ambient_temp?: number; emissivity?: number }, metadataAmbient?: number): ImageRecord {
  return {
    image_id: id,
    ...(params ? { calibration: { status: 'calibrated', params } } : {}),
    ...(metadataAmbient === undefined ? {} : { thermal_metadata: { ambient_temperature: metadataAmbient } })
  }
}

t.test('inputs: what the images, the measurement and the configuration say', async (t) => {
  const images = [
    image('a', { ambient_temp: 25, emissivity: 0.92 }, 20),
    image('b', { ambient_temp: 27, emissivity: 0.9 }, 20),
    image('c', undefined, 20)
  ]
  t.same(recordedAmbient(images), { value: 26, source: 'survey', detail: 'median calibration.params.ambient_temp of 2 images' })
  t.same(recordedAmbient([image('c', undefined, 20)]), {
    value: 20,
    source: 'survey',
    detail: 'median thermal_metadata.ambient_temperature of 1 image'
  })
  t.equal(recordedAmbient([image('x'), image('y', { ambient_temp: 400 })]), undefined, 'none, or out of range')
  t.same(calibrationEmissivity(images), { value: 0.91, source: 'survey', detail: 'median calibration.params.emissivity of 2 images' })
  t.equal(calibrationEmissivity([image('c', undefined, 20)]), undefined, "the camera's metadata is not asked")
  t.same(measurementDiameter({ processing_params: { pipe_outer_diameter_m: 0.6 } }), {
    value: 0.6,
    source: 'measurement',
    detail: 'processing_params.pipe_outer_diameter_m'
  })
  for (const bad of [0, 50, '0.6', null]) {
    t.equal(measurementDiameter({ processing_params: { pipe_outer_diameter_m: bad } }), undefined, `not a diameter: ${String(bad)}`)
  }
  const configured = parsePipeDiameters('leyte=0.4,leyte/tongonan=0.6')!
  t.same(configuredDiameter(configured, 'leyte', 'tongonan'), {
    value: 0.6,
    source: 'configuration',
    detail: 'HEAT_LOSS_PIPE_DIAMETERS_M (leyte/tongonan)'
  })
  t.equal(configuredDiameter(configured, 'leyte', 'malitbog')?.value, 0.4, 'the site’s, for another sector')
  t.equal(configuredDiameter(configured, 'upper-rhine', 'insheim'), undefined)
  t.same([...parsePipeDiameters(undefined)!], [], 'none configured by default')
  t.equal(parsePipeDiameters('leyte=5'), undefined, 'out of range')
  t.equal(parsePipeDiameters('leyte=0.5,leyte=0.6'), undefined, 'twice')
})
