import type { DatasetTemperatureRange, ThermalStats } from '../../schemas/stats.js'
import { ruleTemperatures } from './hotspots.js'
import type { ImageRecord } from './records.js'
import { isFiniteNumber, numberOrNull } from './records.js'

/** The span the medical palette was normalised to across the dataset, when the colour-mapping step recorded it. */
export function datasetTemperatureRange(record: ImageRecord): DatasetTemperatureRange | undefined {
  const stats = record.processing_status?.colormapping?.medical?.temperature_stats
  if (!stats || typeof stats !== 'object') return undefined
  const range: DatasetTemperatureRange = {}
  for (const key of ['min_temp_c', 'max_temp_c', 'mean_temp_c'] as const) if (isFiniteNumber(stats[key])) range[key] = stats[key]
  if (typeof stats.normalization === 'string') range.normalization = stats.normalization
  const size = stats.sample_size
  if (isFiniteNumber(size) && Number.isInteger(size) && size >= 0) range.sample_size = size
  return range
}

/**
 * Maps an image record to its temperature statistics. The minimum always comes
 * from the camera's own metadata, because calibration only re-estimates the
 * maximum and the average.
 */
export function thermalStats(record: ImageRecord): ThermalStats {
  const range = datasetTemperatureRange(record)
  return range ? { ...cameraStats(record), dataset_temperature_range: range } : cameraStats(record)
}

function cameraStats(record: ImageRecord): ThermalStats {
  const tm = record.thermal_metadata ?? {}
  const cal = record.calibration
  const { max, avg } = ruleTemperatures(record)
  const base = { min_temp: numberOrNull(tm.temperature_min), max_temp: max, avg_temp: avg, palette: 'medical' as const }

  if (cal?.status === 'calibrated') {
    const p = cal.params ?? {}
    return {
      ...base,
      is_calibrated: true,
      calibration_params: {
        emissivity: numberOrNull(p.emissivity),
        distance: numberOrNull(p.distance),
        reflection: numberOrNull(p.reflection),
        ambient_temp: numberOrNull(p.ambient_temp),
        humidity: numberOrNull(p.humidity)
      }
    }
  }
  return {
    ...base,
    is_calibrated: false,
    original_params: {
      emissivity: numberOrNull(tm.emissivity),
      distance: numberOrNull(tm.object_distance),
      reflection: numberOrNull(tm.reflected_temperature),
      ambient_temp: numberOrNull(tm.ambient_temperature),
      humidity: numberOrNull(tm.relative_humidity)
    }
  }
}
