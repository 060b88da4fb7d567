import { readFileSync } from 'node:fs'
import { insheimShotsPath } from '../../demo/seed/demo-dataset.js'

/**
 * The real ODM flight (394 shots of a DJI Mavic 2 Pro survey): the shared
 * fixture `../shared/fixtures/odm/shots.geojson`, committed byte for byte as the
 * demo's `demo/seed/data/insheim-shots.geojson`. Read from the committed copy so
 * the tests pass wherever the checkout sits (CI, a clone in a temp dir).
 */
export function realFlightShots(): unknown {
  return JSON.parse(readFileSync(insheimShotsPath(), 'utf8'))
}
