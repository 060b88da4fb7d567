/**
 * The coordinate reference systems tiles can be reprojected from: WGS 84 / UTM
 * (EPSG:326xx north, 327xx south) and WGS 84 geographic (EPSG:4326). The proj4
 * definitions are the ones EPSG publishes for them.
 */

export interface SupportedCrs {
  epsg: number
  /** proj4 definition, or `EPSG:4326` for geographic coordinates. */
  proj4: string
  geographic: boolean
}

export function crsName(epsg: number | undefined): string {
  return epsg === undefined ? 'an unknown CRS' : `EPSG:${epsg}`
}

export function supportedCrs(epsg: number | undefined): SupportedCrs | undefined {
  if (epsg === 4326) return { epsg, proj4: 'EPSG:4326', geographic: true }
  if (epsg === undefined) return undefined
  const zone = epsg % 100
  const hemisphere = Math.floor(epsg / 100)
  if ((hemisphere !== 326 && hemisphere !== 327) || zone < 1 || zone > 60) return undefined
  const south = hemisphere === 327 ? ' +south' : ''
  return { epsg, proj4: `+proj=utm +zone=${zone}${south} +datum=WGS84 +units=m +no_defs`, geographic: false }
}

/** The EPSG code of a GeoTIFF's geo keys: the projected CRS, else the geographic one. */
export function epsgOfGeoKeys(keys: Record<string, unknown> | null | undefined): number | undefined {
  if (!keys) return undefined
  const projected = keys.ProjectedCSTypeGeoKey
  if (typeof projected === 'number' && projected !== 32767) return projected
  const geographic = keys.GeographicTypeGeoKey
  if (keys.GTModelTypeGeoKey === 2 && typeof geographic === 'number' && geographic !== 32767) return geographic
  return undefined
}
