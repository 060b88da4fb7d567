import t from 'tap'
import { CAMERA_FOV_DEG, coverageStats } from '../../src/domain/coverage.js'

t.test('the PRD formula', async (t) => {
  const altitudes = [445.0, 445.8]
  const avg = 445.4
  const width = 2 * avg * Math.tan((68.9 * Math.PI) / 180 / 2)
  const expected = width * width * (512 / 640) * 2 * 0.4
  const out = coverageStats(2, altitudes)
  t.equal(out.total_images, 2)
  t.equal(out.avg_altitude_m, 445.4)
  t.equal(out.camera_fov_deg, CAMERA_FOV_DEG)
  t.ok(Math.abs(out.coverage_area_m2 - expected) < 0.01, `${out.coverage_area_m2} ≈ ${expected}`)
})

t.test('the PRD example: 101 images at 445.4 m', async (t) => {
  const out = coverageStats(101, Array(101).fill(445.4))
  // The PRD's sample response quotes 32 891.45 m², which its own formula does not
  // give for these inputs; the formula is the contract, so its value is pinned here.
  t.equal(out.coverage_area_m2, 12069131.51)
  t.equal(out.avg_altitude_m, 445.4)
})

t.test('a pad without images gives zeros', async (t) => {
  t.same(coverageStats(0, []), { total_images: 0, coverage_area_m2: 0, avg_altitude_m: 0, camera_fov_deg: 68.9 })
})

t.test('images without altitude count but do not skew the average', async (t) => {
  const out = coverageStats(3, [100, Number.NaN, 200])
  t.equal(out.total_images, 3)
  t.equal(out.avg_altitude_m, 150)
  t.same(coverageStats(2, [Number.NaN, Number.NaN]).coverage_area_m2, 0)
})
