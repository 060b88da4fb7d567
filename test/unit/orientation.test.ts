import t from 'tap'
import { orientationFromRotation, rotationMatrix } from '../../src/domain/orientation.js'
import { realFlightShots } from '../helpers/fixtures.js'

const DEG = Math.PI / 180
/** Smallest signed difference between two headings, in degrees. */
const angleDiff = (a: number, b: number) => ((a - b + 540) % 360) - 180

t.test('rotation [π, 0, 0] is nadir with the top of the image to the north', async (t) => {
  const o = orientationFromRotation([Math.PI, 0, 0])
  t.ok(Math.abs(angleDiff(o.yaw, 0)) < 1e-9, `yaw ${o.yaw}`)
  t.ok(Math.abs(o.pitch + 90) < 1e-9, `pitch ${o.pitch}`)
})

t.test('the zero vector is the identity: camera looking up, image top to the south', async (t) => {
  t.same(rotationMatrix([0, 0, 0]), [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1]
  ])
  const o = orientationFromRotation([0, 0, 0])
  t.equal(Math.round(o.yaw), 180)
  t.equal(Math.round(o.pitch), 90)
})

t.test('rotation matrices are orthonormal', async (t) => {
  for (const v of [
    [0.3, -1.2, 2.0],
    [Math.PI, 0.01, 0],
    [-3.12, -0.29, 0.025]
  ]) {
    const R = rotationMatrix(v)
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const dot = R[i]![0] * R[j]![0] + R[i]![1] * R[j]![1] + R[i]![2] * R[j]![2]
        t.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-12, `row ${i}·row ${j} = ${dot}`)
      }
    }
  }
})

t.test('a nadir camera turned about the vertical axis reports that heading', async (t) => {
  // Nadir with heading ψ is Rz-rotation of the world followed by the flip about x:
  // R = Rx(π)·Rz(ψ); build its angle-axis vector numerically through the matrix.
  for (const heading of [0, 45, 90, 135, 180, 225, 270, 315, 359]) {
    const psi = heading * DEG
    // Angle-axis of Rx(π)·Rz(ψ): axis (cos(ψ/2), -sin(ψ/2), 0) scaled by π... checked by the matrix itself.
    const v = [Math.PI * Math.cos(psi / 2), -Math.PI * Math.sin(psi / 2), 0]
    const R = rotationMatrix(v)
    t.ok(Math.abs(R[2][2] + 1) < 1e-9, 'optical axis points down')
    const o = orientationFromRotation(v)
    t.ok(Math.abs(angleDiff(o.yaw, heading)) < 1e-6, `heading ${heading} gives yaw ${o.yaw}`)
    t.ok(o.yaw >= 0 && o.yaw < 360)
  }
})

interface Shot {
  properties: { filename: string; capture_time: number; translation: number[]; rotation: number[] }
}

t.test('on the real flight, yaw follows the track on straight legs', async (t) => {
  const shots = (realFlightShots() as { features: Shot[] }).features
    .map((f) => f.properties)
    .sort((a, b) => a.capture_time - b.capture_time)
  t.equal(shots.length, 394)

  const azimuth = (a: Shot['properties'], b: Shot['properties']) => {
    const de = b.translation[0]! - a.translation[0]!
    const dn = b.translation[1]! - a.translation[1]!
    return { az: (((Math.atan2(de, dn) / DEG) % 360) + 360) % 360, dist: Math.hypot(de, dn) }
  }

  // A shot is on a straight leg when the track into it and out of it agree within 5°,
  // both steps are real moves (> 3 m) taken a few seconds apart. The flight also
  // has oblique frames (pitch ≈ −45°) that orbit a point and look inwards; their
  // heading is not the track, so only nadir frames are compared.
  const errors: number[] = []
  let oblique = 0
  for (let i = 1; i < shots.length - 1; i++) {
    const [prev, cur, next] = [shots[i - 1]!, shots[i]!, shots[i + 1]!]
    const a = azimuth(prev, cur)
    const b = azimuth(cur, next)
    if (a.dist < 3 || b.dist < 3) continue
    if (cur.capture_time - prev.capture_time > 5 || next.capture_time - cur.capture_time > 5) continue
    if (Math.abs(angleDiff(a.az, b.az)) > 5) continue
    const o = orientationFromRotation(cur.rotation)
    if (o.pitch > -80) {
      oblique++
      continue
    }
    const track = a.az + angleDiff(b.az, a.az) / 2
    errors.push(Math.abs(angleDiff(o.yaw, track)))
  }
  errors.sort((x, y) => x - y)
  const median = errors[Math.floor(errors.length / 2)]!
  const within10 = errors.filter((e) => e <= 10).length / errors.length
  t.ok(errors.length >= 200, `${errors.length} nadir shots on straight legs (${oblique} oblique left out)`)
  t.ok(median < 3, `median |yaw − track| = ${median.toFixed(2)}°`)
  t.ok(within10 === 1, `${(within10 * 100).toFixed(1)} % within 10°`)

  // The PRD's formula, degrees(rotation[0]) % 360, does not follow the track.
  const prd = shots.slice(1, 60).map((s) => (((s.rotation[0]! / DEG) % 360) + 360) % 360)
  const yaws = shots.slice(1, 60).map((s) => orientationFromRotation(s.rotation).yaw)
  t.ok(
    prd.some((p, i) => Math.abs(angleDiff(p, yaws[i]!)) > 30),
    'the PRD formula disagrees with the heading'
  )
})

t.test('pitch of the real flight: mostly nadir, some oblique, none looking up', async (t) => {
  const shots = (realFlightShots() as { features: Shot[] }).features
  const pitches = shots.map((s) => orientationFromRotation(s.properties.rotation).pitch)
  const nadir = pitches.filter((p) => p <= -80).length
  const oblique = pitches.filter((p) => p > -80 && p <= -30).length
  t.equal(nadir + oblique, shots.length, 'every frame looks down at least 30°')
  t.ok(nadir > shots.length / 2, `${nadir} nadir frames`)
  t.ok(oblique > 0, `${oblique} oblique frames`)
})
