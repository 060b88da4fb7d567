import type { CoverageStats } from '../../schemas/stats.js'

/** DJI Mavic 2 Enterprise Advanced thermal camera. */
export const CAMERA_FOV_DEG = 68.9
const THERMAL_ASPECT = 512 / 640
/** With 60 % overlap between neighbouring frames, each adds 40 % new ground. */
const UNIQUE_FRACTION = 0.4

const round2 = (n: number) => Math.round(n * 100) / 100

/**
 * The PRD's geometric estimate. `altitudes` holds one entry per image; images
 * without a known altitude count towards `total_images` but not the average.
 */
export function coverageStats(imageCount: number, altitudes: readonly number[]): CoverageStats {
  const known = altitudes.filter((a) => Number.isFinite(a))
  if (imageCount === 0 || known.length === 0) {
    return { total_images: imageCount, coverage_area_m2: 0, avg_altitude_m: 0, camera_fov_deg: CAMERA_FOV_DEG }
  }
  const avgAltitude = known.reduce((s, a) => s + a, 0) / known.length
  const fovRad = (CAMERA_FOV_DEG * Math.PI) / 180
  const groundWidth = 2 * avgAltitude * Math.tan(fovRad / 2)
  const groundHeight = groundWidth * THERMAL_ASPECT
  const area = groundWidth * groundHeight * imageCount * UNIQUE_FRACTION
  return {
    total_images: imageCount,
    coverage_area_m2: round2(area),
    avg_altitude_m: round2(avgAltitude),
    camera_fov_deg: CAMERA_FOV_DEG
  }
}
