/**
 * Thermophysical properties of dry air at 1 atm: Incropera, DeWitt, Bergman and
 * Lavine, Fundamentals of Heat and Mass Transfer (6th ed., 2007), Table A.4, the
 * rows from 200 K to 800 K. Between rows the properties are interpolated linearly,
 * as the book's worked examples do.
 */

/** One row: temperature (K), kinematic viscosity ν (m²/s), conductivity k (W/m·K), diffusivity α (m²/s), Prandtl number. */
type Row = readonly [t: number, nu: number, k: number, alpha: number, pr: number]

// prettier-ignore
const TABLE_A4: readonly Row[] = [
  // T (K)  ν·10⁶   k·10³  α·10⁶  Pr
  [200,     7.590,  18.1,  10.3,  0.737],
  [250,    11.44,   22.3,  15.9,  0.720],
  [300,    15.89,   26.3,  22.5,  0.707],
  [350,    20.92,   30.0,  29.9,  0.700],
  [400,    26.41,   33.8,  38.3,  0.690],
  [450,    32.39,   37.3,  47.2,  0.686],
  [500,    38.79,   40.7,  56.7,  0.684],
  [550,    45.57,   43.9,  66.7,  0.683],
  [600,    52.69,   46.9,  76.9,  0.685],
  [650,    60.21,   49.7,  87.3,  0.690],
  [700,    68.10,   52.4,  98.0,  0.695],
  [750,    76.37,   54.9, 109,    0.702],
  [800,    84.93,   57.3, 120,    0.709]
]

export interface AirProperties {
  /** Kinematic viscosity (m²/s). */
  nu: number
  /** Thermal conductivity (W/m·K). */
  k: number
  /** Thermal diffusivity (m²/s). */
  alpha: number
  pr: number
}

/** The temperatures (K) the table covers; a film temperature outside them has no properties. */
export const AIR_TABLE_RANGE_K: readonly [number, number] = [TABLE_A4[0]![0], TABLE_A4[TABLE_A4.length - 1]![0]]

/** Properties of air at `tK` kelvin, interpolated; undefined outside the table. */
export function airProperties(tK: number): AirProperties | undefined {
  if (!(tK >= AIR_TABLE_RANGE_K[0] && tK <= AIR_TABLE_RANGE_K[1])) return undefined
  let i = 0
  while (i < TABLE_A4.length - 2 && tK > TABLE_A4[i + 1]![0]) i++
  const [a, b] = [TABLE_A4[i]!, TABLE_A4[i + 1]!]
  const f = (tK - a[0]) / (b[0] - a[0])
  const at = (col: 1 | 2 | 3 | 4) => a[col] + f * (b[col] - a[col])
  return { nu: at(1) * 1e-6, k: at(2) * 1e-3, alpha: at(3) * 1e-6, pr: at(4) }
}
