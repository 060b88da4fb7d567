/**
 * Writes test/fixtures/gdal-cog.tif again (GDAL needed here, never in the tests):
 *
 *   npx tsx scripts/make-gdal-cog-fixture.ts
 *
 * The pixels (test/helpers/gdal-cog.ts) go to a PNG, georeferenced by a GDAL
 * sidecar (`-a_ullr` would divide the extent and store 0.049999999999955 m
 * pixels), and GDAL writes the COG. As run for the committed file (GDAL 3.6.2):
 *
 *   gdal-cog-source.png.aux.xml:
 *     <PAMDataset><GeoTransform>678565, 0.05, 0, 1234830, 0, -0.05</GeoTransform></PAMDataset>
 *   gdal_translate -a_srs EPSG:32651 -of COG -co BLOCKSIZE=256 -co COMPRESS=DEFLATE \
 *     -co PREDICTOR=YES -co OVERVIEWS=AUTO gdal-cog-source.png test/fixtures/gdal-cog.tif
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { GDAL_COG, gdalCogPixels } from '../test/helpers/gdal-cog.js'

const { size, res, originX, originY, epsg, blockSize, path } = GDAL_COG
const dir = mkdtempSync(join(tmpdir(), 'gdal-cog-'))
try {
  const png = join(dir, 'gdal-cog-source.png')
  await sharp(gdalCogPixels(), { raw: { width: size, height: size, channels: 4 } })
    .png()
    .toFile(png)
  const geoTransform = `${originX}, ${res}, 0, ${originY}, 0, -${res}`
  writeFileSync(`${png}.aux.xml`, `<PAMDataset><GeoTransform>${geoTransform}</GeoTransform></PAMDataset>\n`)
  const args = [
    ...['-a_srs', `EPSG:${epsg}`],
    ...['-of', 'COG', '-co', `BLOCKSIZE=${blockSize}`, '-co', 'COMPRESS=DEFLATE', '-co', 'PREDICTOR=YES', '-co', 'OVERVIEWS=AUTO'],
    ...['-q', png, path]
  ]
  console.log(['gdal_translate', ...args].join(' '))
  execFileSync('gdal_translate', args, { stdio: 'inherit' })
} finally {
  rmSync(dir, { recursive: true, force: true })
}
