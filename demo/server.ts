/**
 * `npm start`: the API over the embedded demo (DATA_SOURCE=embedded, the default),
 * or over AWS when DATA_SOURCE=aws. The demo's emulators and data are handed to the
 * production server as its data source, so everything past the AWS clients is the
 * code the image runs.
 */
import { configOrExit, serve } from '../src/server.js'
import { startEmbeddedData } from './embedded/embedded-data.js'

await serve({ config: configOrExit(), embedded: startEmbeddedData })
