const TIFF_SHORT = 3
const TIFF_LONG = 4
const TIFF_RATIONAL = 5
const TIFF_ASCII = 2
const TIFF_DOUBLE = 12

interface TiffEntry {
  tag: number
  type: number
  values: number[] | string
}

const TYPE_SIZE: Record<number, number> = { [TIFF_ASCII]: 1, [TIFF_SHORT]: 2, [TIFF_LONG]: 4, [TIFF_RATIONAL]: 8, [TIFF_DOUBLE]: 8 }

export interface GeoTiffOptions {
  width: number
  height: number
  /** Interleaved RGB, row-major, top row first. */
  rgb: Uint8Array
  /** Longitude of the left edge and latitude of the top edge (EPSG:4326). */
  west: number
  north: number
  /** Pixel size in degrees. */
  pixelWidth: number
  pixelHeight: number
}

/**
 * A baseline little-endian TIFF (RGB, 8 bits, one uncompressed strip) with the
 * GeoTIFF tags ModelPixelScale, ModelTiepoint and GeoKeyDirectory for EPSG:4326
 * (geographic, WGS 84, pixel-is-area).
 */
export function encodeGeoTiff(o: GeoTiffOptions): Uint8Array {
  const imageBytes = o.width * o.height * 3
  if (o.rgb.length !== imageBytes) throw new Error(`expected ${imageBytes} RGB bytes, got ${o.rgb.length}`)
  return writeTiff(geoTiffEntries(o, imageBytes), o.rgb)
}

/** The IFD entries, in tag order; StripOffsets is patched once the layout is known. */
function geoTiffEntries(o: GeoTiffOptions, imageBytes: number): TiffEntry[] {
  const geoAscii = 'WGS 84|'
  return [
    { tag: 256, type: TIFF_LONG, values: [o.width] }, // ImageWidth
    { tag: 257, type: TIFF_LONG, values: [o.height] }, // ImageLength
    { tag: 258, type: TIFF_SHORT, values: [8, 8, 8] }, // BitsPerSample
    { tag: 259, type: TIFF_SHORT, values: [1] }, // Compression: none
    { tag: 262, type: TIFF_SHORT, values: [2] }, // PhotometricInterpretation: RGB
    { tag: 273, type: TIFF_LONG, values: [0] }, // StripOffsets (patched below)
    { tag: 277, type: TIFF_SHORT, values: [3] }, // SamplesPerPixel
    { tag: 278, type: TIFF_LONG, values: [o.height] }, // RowsPerStrip
    { tag: 279, type: TIFF_LONG, values: [imageBytes] }, // StripByteCounts
    { tag: 282, type: TIFF_RATIONAL, values: [72, 1] }, // XResolution
    { tag: 283, type: TIFF_RATIONAL, values: [72, 1] }, // YResolution
    { tag: 284, type: TIFF_SHORT, values: [1] }, // PlanarConfiguration: chunky
    { tag: 296, type: TIFF_SHORT, values: [2] }, // ResolutionUnit: inch
    { tag: 305, type: TIFF_ASCII, values: 'thermal-viewer demo seed\0' }, // Software
    { tag: 33550, type: TIFF_DOUBLE, values: [o.pixelWidth, o.pixelHeight, 0] }, // ModelPixelScaleTag
    { tag: 33922, type: TIFF_DOUBLE, values: [0, 0, 0, o.west, o.north, 0] }, // ModelTiepointTag
    {
      tag: 34735, // GeoKeyDirectoryTag: header, then (key, location, count, value)
      type: TIFF_SHORT,
      values: [
        1,
        1,
        0,
        4,
        1024,
        0,
        1,
        2, // GTModelTypeGeoKey = ModelTypeGeographic
        1025,
        0,
        1,
        1, // GTRasterTypeGeoKey = RasterPixelIsArea
        2048,
        0,
        1,
        4326, // GeographicTypeGeoKey = WGS 84
        2049,
        34737,
        geoAscii.length,
        0 // GeogCitationGeoKey → GeoAsciiParams
      ]
    },
    { tag: 34737, type: TIFF_ASCII, values: `${geoAscii}\0` } // GeoAsciiParamsTag
  ]
}

/** One IFD, values that do not fit in an entry after it (word-aligned), then the single strip. */
function writeTiff(entries: TiffEntry[], rgb: Uint8Array): Uint8Array {
  const ifdOffset = 8
  const ifdSize = 2 + entries.length * 12 + 4
  let cursor = ifdOffset + ifdSize
  const external: Array<{ entry: TiffEntry; offset: number }> = []
  for (const entry of entries) {
    const size = (TYPE_SIZE[entry.type] ?? 1) * entry.values.length
    if (size > 4) {
      cursor += cursor % 2 // word alignment
      external.push({ entry, offset: cursor })
      cursor += size
    }
  }
  cursor += cursor % 2
  const stripOffset = cursor
  const total = stripOffset + rgb.length
  const buf = new Uint8Array(total)
  const view = new DataView(buf.buffer)
  buf.set([0x49, 0x49, 42, 0], 0) // "II*\0"
  view.setUint32(4, ifdOffset, true)
  ;(entries.find((e) => e.tag === 273)!.values as number[])[0] = stripOffset

  const writeValues = (entry: TiffEntry, at: number) => {
    const vals = entry.values
    if (typeof vals === 'string') {
      for (let i = 0; i < vals.length; i++) buf[at + i] = vals.charCodeAt(i)
      return
    }
    vals.forEach((v, i) => {
      if (entry.type === TIFF_SHORT) view.setUint16(at + i * 2, v, true)
      else if (entry.type === TIFF_LONG || entry.type === TIFF_RATIONAL) view.setUint32(at + i * 4, v, true)
      else if (entry.type === TIFF_DOUBLE) view.setFloat64(at + i * 8, v, true)
    })
  }

  view.setUint16(ifdOffset, entries.length, true)
  entries.forEach((entry, i) => {
    const at = ifdOffset + 2 + i * 12
    const count = entry.type === TIFF_RATIONAL ? entry.values.length / 2 : entry.values.length
    view.setUint16(at, entry.tag, true)
    view.setUint16(at + 2, entry.type, true)
    view.setUint32(at + 4, count, true)
    const ext = external.find((x) => x.entry === entry)
    if (ext) {
      view.setUint32(at + 8, ext.offset, true)
      writeValues(entry, ext.offset)
    } else {
      writeValues(entry, at + 8)
    }
  })
  view.setUint32(ifdOffset + 2 + entries.length * 12, 0, true) // no next IFD
  buf.set(rgb, stripOffset)
  return buf
}
