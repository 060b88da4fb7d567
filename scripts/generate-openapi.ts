/**
 * Writes openapi.yaml from the route schemas. The app is built in contract-only
 * mode: no AWS clients, no emulators, no network.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { packageRoot } from '../src/package-info.js'

export async function generateOpenApiYaml(): Promise<string> {
  const app = await buildApp({ config: loadConfig({}), contractOnly: true, logger: false })
  try {
    await app.ready()
    return app.swagger({ yaml: true })
  } finally {
    await app.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = join(packageRoot, 'openapi.yaml')
  writeFileSync(out, await generateOpenApiYaml())
  process.stdout.write(`wrote ${out}\n`)
}
