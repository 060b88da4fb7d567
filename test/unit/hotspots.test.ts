import t from 'tap'
import {
  byMaxDescending,
  deltaT,
  median,
  p95NearestRank,
  referenceTemperature,
  ruleTemperatures,
  scoreImages,
  severityOf,
  thermalReading,
  worstSeverity
} from '../../src/domain/hotspots.js'
import { parseThresholds } from '../../src/config.js'
import type { ImageRecord } from '../../src/domain/records.js'
import { padFigures, rankHotspots } from '../../src/domain/survey-stats.js'
import { buildSurvey } from '../../src/domain/survey.js'

const T = [10, 20, 40] as const

function image(
  id: string,
  max: number | undefined,
  avg: number | undefined,
  calibrated?: { max?: number; avg?: number },
  pad = 'P1'
): ImageRecord {
  return {
    image_id: id,
    pad_id: pad,
    thermal_metadata: { temperature_max: max, temperature_avg: avg, temperature_min: 20 },
    calibration: calibrated
      ? { status: 'calibrated', temperature_delta: { max_calibrated: calibrated.max, avg_calibrated: calibrated.avg } }
      : { status: 'not_calibrated' },
    optical_metadata: { gps_location: { longitude: 124.6, latitude: 11.1, altitude: 445 } }
  }
}

t.test('the temperature rule: calibrated values only when the status is calibrated', async (t) => {
  t.same(ruleTemperatures(image('a', 131.6, 27.89, { max: 145.3, avg: 28.54 })), { max: 145.3, avg: 28.54, is_calibrated: true })
  t.same(ruleTemperatures(image('a', 131.6, 27.89)), { max: 131.6, avg: 27.89, is_calibrated: false })
  const pending: ImageRecord = {
    ...image('a', 131.6, 27.89),
    calibration: { status: 'pending', temperature_delta: { max_calibrated: 999, avg_calibrated: 999 } }
  }
  t.same(ruleTemperatures(pending), { max: 131.6, avg: 27.89, is_calibrated: false }, 'any other status: the camera values')
  t.same(ruleTemperatures({ image_id: 'bare' }), { max: null, avg: null, is_calibrated: false })
  t.same(
    ruleTemperatures(image('a', 131.6, 27.89, {})),
    { max: null, avg: null, is_calibrated: true },
    'calibrated without values: unknown, never the camera’s'
  )
  t.equal(thermalReading(image('a', 50, undefined)), undefined, 'no average: no thermal data')
  t.equal(thermalReading(image('a', Number.NaN, 30)), undefined)
  t.same(thermalReading(image('a', 50, 30)), { max: 50, avg: 30, is_calibrated: false })
})

t.test('reference: the median of the averages of images with thermal data', async (t) => {
  t.equal(median([]), null)
  t.equal(median([3]), 3)
  t.equal(median([5, 1, 3]), 3)
  t.equal(median([4, 1, 3, 2]), 2.5)
  t.equal(
    referenceTemperature([image('a', 60, 30), image('b', 60, 28), image('c', 60, 29, { max: 70, avg: 35 })]),
    30,
    'calibrated average used'
  )
  t.equal(
    referenceTemperature([image('a', 60, 30), image('b', undefined, 10), { image_id: 'c' }]),
    30,
    'images without thermal data left out'
  )
  t.equal(referenceTemperature([{ image_id: 'c' }]), null)
})

t.test('ΔT and severity on the edges', async (t) => {
  t.equal(deltaT(38.04, 28.04), 10, 'rounded to the hundredth: no 9.999…')
  t.equal(deltaT(145.3, 28.65), 116.65)
  for (const [delta, severity] of [
    [-5, 'minor'],
    [0, 'minor'],
    [9.99, 'minor'],
    [10, 'moderate'],
    [19.99, 'moderate'],
    [20, 'serious'],
    [39.99, 'serious'],
    [40, 'critical'],
    [116.65, 'critical']
  ] as const) {
    t.equal(severityOf(delta, T), severity, `ΔT ${delta}`)
  }
  t.equal(severityOf(5, [5, 6, 7]), 'moderate', 'thresholds from config')
  t.equal(worstSeverity(['minor', 'critical', 'serious']), 'critical')
  t.equal(worstSeverity([]), null)
  const edges = buildSurvey([image('r1', 40, 30), image('r2', 40, 30), image('e10', 40, 30), image('e20', 50, 30), image('e40', 70, 30)])
  t.same(
    scoreImages(edges.images, edges.reference, T).map((s) => [s.record.image_id, s.delta_t, s.severity]),
    [
      ['r1', 10, 'moderate'],
      ['r2', 10, 'moderate'],
      ['e10', 10, 'moderate'],
      ['e20', 20, 'serious'],
      ['e40', 40, 'critical']
    ]
  )
})

t.test('thresholds: three increasing numbers', async (t) => {
  t.same(parseThresholds('10,20,40'), [10, 20, 40])
  t.same(parseThresholds(' 2.5, 5 ,7.5'), [2.5, 5, 7.5])
  for (const bad of ['10,20', '10,20,40,80', '20,10,40', '10,10,40', '10,,40', 'a,b,c', '10,20,Infinity'])
    t.equal(parseThresholds(bad), undefined, bad)
})

t.test('p95 by nearest rank', async (t) => {
  t.equal(p95NearestRank([]), null)
  t.equal(p95NearestRank([7]), 7)
  const twenty = Array.from({ length: 20 }, (_, i) => i + 1)
  t.equal(p95NearestRank(twenty), 19, 'rank ceil(0.95 × 20) = 19')
  t.equal(p95NearestRank([...twenty, 21]), 20, 'rank ceil(0.95 × 21) = 20')
})

t.test('ranking: max descending, ties by image id in code-point order, the pad filter keeps the survey reference', async (t) => {
  const survey = buildSurvey([
    image('b', 90, 30),
    image('a', 90, 30),
    image('B', 90, 30),
    image('cool', 35, 30, undefined, 'P2'),
    image('cal', 50, 30, { max: 95, avg: 31 }, 'P2'),
    image('dark', undefined, undefined),
    { image_id: 'nothing', pad_id: 'P2' }
  ])
  t.equal(survey.reference, 30)
  const all = rankHotspots(survey, T, { limit: 10 })
  t.equal(all.count, 5, 'images without thermal data are left out')
  t.same(
    all.hotspots.map((h) => h.image_id),
    ['cal', 'B', 'a', 'b', 'cool']
  )
  t.same(
    all.hotspots.map((h) => h.rank),
    [1, 2, 3, 4, 5]
  )
  t.same(all.hotspots[0], {
    rank: 1,
    image_id: 'cal',
    pad_id: 'P2',
    max_temp: 95,
    avg_temp: 31,
    delta_t: 65,
    severity: 'critical',
    is_calibrated: true,
    thermal_filename: null,
    location: [124.6, 11.1, 445]
  })
  const p2 = rankHotspots(survey, T, { padId: 'P2', limit: 1 })
  t.same(
    [p2.count, p2.hotspots.map((h) => [h.image_id, h.delta_t])],
    [2, [['cal', 65]]],
    'ΔT against the survey reference; count before the limit'
  )
  t.same(
    rankHotspots(survey, T, { minSeverity: 'critical', limit: 10 }).hotspots.map((h) => h.image_id),
    ['cal', 'B', 'a', 'b']
  )
  t.equal(rankHotspots(survey, T, { padId: 'P9', limit: 10 }).count, 0)
  t.ok(byMaxDescending(scoreImages([image('x', 1, 1)], 0, T)[0]!, scoreImages([image('y', 2, 1)], 0, T)[0]!) > 0)
})

t.test('pad figures: image count of every image, temperatures of those with thermal data', async (t) => {
  const records = [image('a', 90, 30), image('b', 40, 32), { image_id: 'c', pad_id: 'P1' }]
  t.same(padFigures(records, 30, T), {
    image_count: 3,
    max_temp: 90,
    avg_temp: 31,
    p95_max_temp: 90,
    hottest_image_id: 'a',
    severity_counts: { minor: 0, moderate: 1, serious: 0, critical: 1 },
    worst_severity: 'critical'
  })
  t.same(padFigures([{ image_id: 'c' }], null, T), {
    image_count: 1,
    max_temp: null,
    avg_temp: null,
    p95_max_temp: null,
    hottest_image_id: null,
    severity_counts: { minor: 0, moderate: 0, serious: 0, critical: 0 },
    worst_severity: null
  })
})
