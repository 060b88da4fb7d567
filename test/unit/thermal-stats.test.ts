import t from 'tap'
import { thermalStats } from '../../src/domain/thermal-stats.js'

const thermal_metadata = {
  temperature_min: 22.7,
  temperature_max: 131.6,
  temperature_avg: 27.89,
  emissivity: 1.0,
  object_distance: 5.0,
  reflected_temperature: 25.0,
  ambient_temperature: 20.0,
  relative_humidity: 70.0
}

t.test('calibrated: max and avg from temperature_delta, params from calibration.params', async (t) => {
  const stats = thermalStats({
    image_id: 'x',
    thermal_metadata,
    calibration: {
      status: 'calibrated',
      params: { emissivity: 0.92, distance: 25.0, reflection: 25.0, ambient_temp: 25.0, humidity: 50.0 },
      temperature_delta: { max_calibrated: 145.3, avg_calibrated: 28.54 }
    }
  })
  t.same(stats, {
    min_temp: 22.7,
    max_temp: 145.3,
    avg_temp: 28.54,
    is_calibrated: true,
    palette: 'medical',
    calibration_params: { emissivity: 0.92, distance: 25.0, reflection: 25.0, ambient_temp: 25.0, humidity: 50.0 }
  })
  t.notOk('original_params' in stats)
})

t.test('not calibrated: values and renamed params from thermal_metadata', async (t) => {
  for (const calibration of [undefined, { status: 'not_calibrated' }, { status: 'pending', temperature_delta: { max_calibrated: 999 } }]) {
    const stats = thermalStats({ image_id: 'x', thermal_metadata, calibration })
    t.same(stats, {
      min_temp: 22.7,
      max_temp: 131.6,
      avg_temp: 27.89,
      is_calibrated: false,
      palette: 'medical',
      original_params: { emissivity: 1.0, distance: 5.0, reflection: 25.0, ambient_temp: 20.0, humidity: 70.0 }
    })
  }
})

t.test('missing metadata gives nulls, not a crash', async (t) => {
  const stats = thermalStats({ image_id: 'x' })
  t.equal(stats.min_temp, null)
  t.equal(stats.max_temp, null)
  t.same(stats.original_params, { emissivity: null, distance: null, reflection: null, ambient_temp: null, humidity: null })
})
