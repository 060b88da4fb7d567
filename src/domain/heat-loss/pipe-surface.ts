import { STEFAN_BOLTZMANN } from '../../../schemas/heat-loss.js'
import { airProperties } from './air-properties.js'

/**
 * Heat flow per metre from the outer surface of a horizontal pipe, as insulation
 * practice computes it (ISO 12241, VDI 2055, ASTM C680):
 * q′ = π·D·[h·(T_s − T_a) + ε·σ·(T_s⁴ − T_sur⁴)].
 */

export const SIGMA = STEFAN_BOLTZMANN
/** Standard gravity, m/s². */
const G = 9.80665
export const KELVIN = 273.15

/** Churchill and Chu (1975), natural convection from a horizontal isothermal cylinder, Ra_D ≤ 10¹². */
export function nusseltNatural(ra: number, pr: number): number {
  const root = 0.6 + (0.387 * Math.max(ra, 0) ** (1 / 6)) / (1 + (0.559 / pr) ** (9 / 16)) ** (8 / 27)
  return root * root
}

/** Churchill and Bernstein (1977), a cylinder in cross-flow, Re_D·Pr ≥ 0.2. */
export function nusseltForced(re: number, pr: number): number {
  return 0.3 + ((0.62 * re ** 0.5 * pr ** (1 / 3)) / (1 + (0.4 / pr) ** (2 / 3)) ** 0.25) * (1 + (re / 282_000) ** (5 / 8)) ** 0.8
}

/** Mixed convection: Nu = (Nu_forced³ + Nu_natural³)^(1/3) (Churchill 1977, cross-flow). */
export function nusseltMixed(forced: number, natural: number): number {
  return Math.cbrt(forced ** 3 + natural ** 3)
}

export interface SurfaceConditions {
  /** Outer diameter of the pipe or its cladding (m). */
  diameterM: number
  /** Air temperature (°C). */
  ambientC: number
  /** Temperature of the surroundings the surface radiates to (°C): the ambient unless a sky temperature is given. */
  surroundingsC: number
  emissivity: number
  /** Wind across the pipe (m/s); 0 is still air. */
  windMs: number
}

export interface SurfaceLoss {
  /** W per metre of pipe: convection plus radiation; 0 when the surface is not warmer than the air. */
  total: number
  convection: number
  radiation: number
  /** Convection coefficient (W/m²·K) and the Nusselt numbers behind it. */
  h: number
  nuNatural: number
  nuForced: number | null
}

/** Still air, or a surface no warmer than the air: nothing to compute. */
const NO_LOSS: SurfaceLoss = { total: 0, convection: 0, radiation: 0, h: 0, nuNatural: 0, nuForced: null }

/**
 * q′ of a surface at `surfaceC`. Properties of air at the film temperature
 * (T_s + T_a)/2, β = 1/T_film (ideal gas). Undefined when the film temperature
 * lies outside the air table.
 */
export function heatLossPerMetre(surfaceC: number, c: SurfaceConditions): SurfaceLoss | undefined {
  if (surfaceC <= c.ambientC) return NO_LOSS
  const [ts, ta, tsur] = [surfaceC + KELVIN, c.ambientC + KELVIN, c.surroundingsC + KELVIN]
  const film = (ts + ta) / 2
  const air = airProperties(film)
  if (!air) return undefined
  const d = c.diameterM
  const ra = (G * (1 / film) * (ts - ta) * d ** 3) / (air.nu * air.alpha)
  const nuNatural = nusseltNatural(ra, air.pr)
  const nuForced = c.windMs > 0 ? nusseltForced((c.windMs * d) / air.nu, air.pr) : null
  const nu = nuForced === null ? nuNatural : nusseltMixed(nuForced, nuNatural)
  const h = (nu * air.k) / d
  const perimeter = Math.PI * d
  const convection = perimeter * h * (ts - ta)
  const radiation = perimeter * c.emissivity * SIGMA * (ts ** 4 - tsur ** 4)
  return { total: Math.max(0, convection + radiation), convection, radiation, h, nuNatural, nuForced }
}
