import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'

/**
 * `npm test` runs on the Node 24 of the `node` dev dependency (node_modules/.bin
 * comes first on the PATH of npm scripts), whatever Node the machine has.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url))

t.test('the suite runs on Node 24 LTS', async (t) => {
  t.comment(`process.version ${process.version} (${process.execPath})`)
  t.equal(process.versions.node.split('.')[0], '24', `this test runs on ${process.version}`)
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
    engines: { node: string }
    devDependencies: Record<string, string>
  }
  t.equal(pkg.engines.node, '>=24', 'package.json engines')
  t.match(pkg.devDependencies.node, /^\^24\./, 'the node dev dependency is a 24.x release')
  t.equal(readFileSync(`${ROOT}.nvmrc`, 'utf8').trim(), '24', '.nvmrc')
  t.match(readFileSync(`${ROOT}docker/Dockerfile`, 'utf8'), /^ARG NODE_IMAGE=node:24-bookworm-slim$/m, 'the Dockerfile base image')
})
