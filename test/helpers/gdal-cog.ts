import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * A cloud-optimised GeoTIFF written by GDAL itself (`gdal_translate -of COG`), as
 * ODM's `--cog` output and WebODM's files are: each block has a 4-byte leader
 * and a 4-byte trailer, so neighbouring blocks lie 8 bytes apart. Committed as
 * test/fixtures/gdal-cog.tif, so no test needs GDAL; scripts/make-gdal-cog-fixture.ts
 * writes these pixels to a PNG and has GDAL make the file again.
 */
export const GDAL_COG = {
  path: fileURLToPath(new URL('../fixtures/gdal-cog.tif', import.meta.url)),
  /** WGS 84 / UTM 51N: Leyte. */
  epsg: 32651,
  /** Top-left corner of the top-left pixel, whole metres. */
  originX: 678565,
  originY: 1234830,
  res: 0.05,
  size: 1024,
  blockSize: 256
} as const

export function gdalCogBytes(): Uint8Array {
  return readFileSync(GDAL_COG.path)
}

/**
 * RGBA: each 256 px block its own colour, with a gentle gradient and a grid line
 * every 32 px; a red disc over the corner shared by the first four blocks, so a
 * tile there shows whether each block was cut from the merged read at its byte;
 * the bottom-right corner transparent, as a mosaic's edge is.
 */
export function gdalCogPixels(): Uint8Array {
  const { size, blockSize } = GDAL_COG
  const pixels = new Uint8Array(size * size * 4)
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const o = (y * size + x) * 4
      if (x + y > 1800) continue
      const bx = Math.floor(x / blockSize)
      const by = Math.floor(y / blockSize)
      const line = x % 32 === 0 || y % 32 === 0 ? 0.6 : 1
      pixels[o] = Math.round((40 + 50 * bx + ((x % blockSize) >> 4)) * line)
      pixels[o + 1] = Math.round((40 + 50 * by + ((y % blockSize) >> 4)) * line)
      pixels[o + 2] = Math.round((200 - 30 * (bx + by)) * line)
      pixels[o + 3] = 255
      if (Math.hypot(x + 0.5 - blockSize, y + 0.5 - blockSize) <= 40) pixels.set([230, 20, 20, 255], o)
    }
  }
  return pixels
}
