import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { configDocs } from '../../scripts/generate-config-docs.js'
import { ENV_GROUPS, EnvSchema } from '../../src/env-schema.js'
import { packageRoot } from '../../src/package-info.js'

t.test('docs/configuration.md and .env.example are what EnvSchema generates (run `npm run config-docs`)', async (t) => {
  for (const [path, fresh] of Object.entries(configDocs())) {
    t.equal(readFileSync(join(packageRoot, path), 'utf8'), fresh, `committed ${path} is out of date`)
  }
})

t.test('every variable is in one group and says what it is for', async (t) => {
  const grouped = ENV_GROUPS.flatMap((g) => Object.keys(g.variables))
  t.same([...grouped].sort(), Object.keys(EnvSchema.properties).sort(), 'the groups hold every variable of EnvSchema')
  t.equal(new Set(grouped).size, grouped.length, 'and each once')
  for (const [name, schema] of Object.entries(EnvSchema.properties)) {
    t.ok((schema.description ?? '').length > 10, `${name} has a description`)
  }
})

t.test('the docs show every variable with its default', async (t) => {
  const { 'docs/configuration.md': markdown, '.env.example': env } = configDocs()
  for (const name of Object.keys(EnvSchema.properties)) {
    t.match(markdown!, new RegExp(`^\\| \`${name}\` \\|`, 'm'), `${name} has a row`)
    t.match(env!, new RegExp(`^# ${name}=`, 'm'), `${name} has a line`)
  }
  t.match(env!, /^# PORT=5001$/m)
  t.match(markdown!, /^\| `SHUTDOWN_DRAIN_MS` \| `5000` with `DATA_SOURCE=aws`, `0` embedded \|/m, 'a default that depends on DATA_SOURCE')
  const cells = (row: string) => row.split(/(?<!\\)\|/).length
  for (const block of markdown!.split('\n\n').filter((b) => b.startsWith('| '))) {
    const [header, ...rows] = block.split('\n')
    for (const row of rows.filter(Boolean)) t.equal(cells(row), cells(header!), `a table row with the header's cells: ${row.slice(0, 40)}`)
  }
})
