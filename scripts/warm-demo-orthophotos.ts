/**
 * Renders the demo orthophotos into their file cache (os.tmpdir()) before the
 * test files run, so that no test's embedded start pays for it: on a fresh
 * machine that is a minute or two, once. tap runs it first (`before`).
 */
import { buildDemoDataset } from '../demo/seed/demo-dataset.js'

const started = Date.now()
const tiffs = buildDemoDataset().objects.filter((o) => o.key.endsWith('.tif'))
console.log(`# demo orthophotos ready: ${tiffs.length} GeoTIFFs in ${Date.now() - started} ms`)
