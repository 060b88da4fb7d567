/**
 * Camera orientation from OpenDroneMap's `rotation`.
 *
 * ODM (OpenSfM) stores an angle-axis (Rodrigues) vector for the world-to-camera
 * rotation R, with world axes East-North-Up and camera axes x right, y down,
 * z forward. The rows of R are therefore the camera axes expressed in world
 * coordinates. It is not [yaw, pitch, roll]: reading rotation[0] as a heading
 * (as the original service did) points cameras in arbitrary directions.
 */

export type Matrix3 = [[number, number, number], [number, number, number], [number, number, number]]

export function rotationMatrix(v: readonly number[]): Matrix3 {
  const [x = 0, y = 0, z = 0] = v
  const theta = Math.hypot(x, y, z)
  if (theta < 1e-12)
    return [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1]
    ]
  const kx = x / theta
  const ky = y / theta
  const kz = z / theta
  const c = Math.cos(theta)
  const s = Math.sin(theta)
  const t = 1 - c
  return [
    [c + kx * kx * t, kx * ky * t - kz * s, kx * kz * t + ky * s],
    [ky * kx * t + kz * s, c + ky * ky * t, ky * kz * t - kx * s],
    [kz * kx * t - ky * s, kz * ky * t + kx * s, c + kz * kz * t]
  ]
}

interface Orientation {
  /** Compass heading of the top of the image, degrees clockwise from north, in [0, 360). */
  yaw: number
  /** Elevation of the optical axis in degrees: −90 looks straight down. */
  pitch: number
}

const DEG = 180 / Math.PI

export function orientationFromRotation(v: readonly number[]): Orientation {
  const R = rotationMatrix(v)
  // The image's "up" is −y_camera, i.e. −(row 1 of R), whose East and North
  // components give the heading.
  const yaw = (((Math.atan2(-R[1][0], -R[1][1]) * DEG) % 360) + 360) % 360
  const pitch = Math.asin(Math.max(-1, Math.min(1, R[2][2]))) * DEG
  return { yaw: yaw === 360 ? 0 : yaw, pitch }
}

/** Rounds for the wire: a tenth of a millidegree is far below what a drone compass resolves. */
export function roundAngle(deg: number): number {
  return Math.round(deg * 1e4) / 1e4
}
