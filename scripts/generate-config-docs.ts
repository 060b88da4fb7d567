/**
 * Writes docs/configuration.md and .env.example from EnvSchema (src/env-schema.ts), where each
 * variable's default, range and meaning are written once. test/contract/config-docs.test.ts
 * fails when the committed files differ from what this generates: run `npm run config-docs`
 * after changing the schema.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ALLOWED, DEFAULT_BY_DATA_SOURCE, ENV_GROUPS } from '../src/env-schema.js'
import { packageRoot } from '../src/package-info.js'

/** The keywords of one variable's schema that the docs show. */
interface VariableSchema {
  type?: string
  description?: string
  default?: string | number | boolean
  minimum?: number
  maximum?: number
  minLength?: number
  pattern?: string
  anyOf?: { const?: string }[]
  [ALLOWED]?: string
  [DEFAULT_BY_DATA_SOURCE]?: { aws: number | boolean; embedded: number | boolean }
}

interface Variable {
  name: string
  schema: VariableSchema
}

const GENERATED = 'Generated from EnvSchema in src/env-schema.ts by `npm run config-docs`: edit the schema, not this file.'

function groups(): { title: string; variables: Variable[] }[] {
  return ENV_GROUPS.map((g) => ({
    title: g.title,
    variables: Object.entries(g.variables).map(([name, schema]): Variable => ({ name, schema }))
  }))
}

/** The default as code spans, e.g. `` `5001` ``; undefined when the variable has none. */
function defaultOf(schema: VariableSchema, code: (s: string) => string): string | undefined {
  const bySource = schema[DEFAULT_BY_DATA_SOURCE]
  if (bySource) return `${code(String(bySource.aws))} with ${code('DATA_SOURCE=aws')}, ${code(String(bySource.embedded))} embedded`
  if (schema.default === undefined) return undefined
  return schema.default === '' ? 'empty' : code(String(schema.default))
}

/** What a value may be, in words; undefined for any text. */
function allowedOf(schema: VariableSchema, code: (s: string) => string): string | undefined {
  if (schema[ALLOWED]) return schema[ALLOWED]
  if (schema.type === 'integer') return `${schema.minimum}..${schema.maximum}`
  if (schema.type === 'boolean') return `${code('true')}, ${code('false')}`
  if (schema.anyOf) return schema.anyOf.map((s) => code(String(s.const))).join(', ')
  if (schema.pattern) return `matches ${code(schema.pattern)}`
  if (schema.minLength && schema.minLength > 1) return `at least ${schema.minLength} characters`
  return undefined
}

const cell = (text: string) => text.replace(/\|/g, '\\|')
const mdCode = (s: string) => `\`${s}\``

export function configurationMarkdown(): string {
  const lines = [
    '# Configuration',
    '',
    `<!-- ${GENERATED} -->`,
    '',
    'The service reads its settings from environment variables, once, at start-up: `loadConfig` in `src/config.ts`',
    'validates them against `EnvSchema` (`src/env-schema.ts`) into one `Config` object, and nothing else reads',
    '`process.env`. An empty variable counts as unset. A bad value stops start-up with one line naming the variable,',
    'e.g. `configuration error: PRESIGN_EXPIRES_SECONDS must be 1..604800`.',
    '',
    '[`.env.example`](../.env.example) lists every variable with its default. Copy it to `.env`, which `npm start`,',
    '`npm run dev` and `npm run seed` read (`node --env-file-if-exists=.env`); a variable set in the real environment',
    'wins over the file. The container image does not read `.env`: set the variables in the task definition.',
    ''
  ]
  for (const group of groups()) {
    lines.push(`## ${group.title}`, '', '| variable | default | allowed | meaning |', '| --- | --- | --- | --- |')
    for (const { name, schema } of group.variables) {
      const row = [mdCode(name), defaultOf(schema, mdCode) ?? 'unset', allowedOf(schema, mdCode) ?? 'any', schema.description ?? '']
      lines.push(`| ${row.map(cell).join(' | ')} |`)
    }
    lines.push('')
  }
  return lines.join('\n')
}

/** `text` as `# ` comment lines of at most `width` characters. */
function comment(text: string, width = 100): string[] {
  const out: string[] = []
  let line = '#'
  for (const word of text.split(/\s+/)) {
    if (line.length + 1 + word.length > width && line !== '#') {
      out.push(line)
      line = '#'
    }
    line += ` ${word}`
  }
  out.push(line)
  return out
}

export function envExample(): string {
  const plain = (s: string) => s
  const lines = [
    ...comment(GENERATED.replace(/`/g, '')),
    '#',
    ...comment(
      'Copy to .env (or export in your shell or task definition). npm start, npm run dev and npm run seed read .env ' +
        '(node --env-file-if-exists); a variable already set in the environment wins over the file. The container image ' +
        'does not read it. Every variable is optional and every line below is commented out, showing the default: ' +
        'uncomment the ones you change. The server refuses to start, with one line naming the variable, when one is invalid. ' +
        'docs/configuration.md has the same list as tables.'
    ),
    ''
  ]
  for (const group of groups()) {
    lines.push(`# --- ${group.title} ${'-'.repeat(Math.max(3, 94 - group.title.length))}`, '')
    for (const { name, schema } of group.variables) {
      const bySource = schema[DEFAULT_BY_DATA_SOURCE]
      const allowed = allowedOf(schema, plain)
      const facts = allowed === undefined ? [] : [`Allowed: ${allowed}.`]
      if (bySource) facts.push(`Default: ${defaultOf(schema, plain)}.`)
      lines.push(...comment(`${(schema.description ?? '').replace(/`/g, '')} ${facts.join(' ')}`))
      const value = bySource ? bySource.aws : schema.default
      lines.push(`# ${name}=${value === undefined ? '' : String(value)}`, '')
    }
  }
  return lines.join('\n')
}

/** The generated files, by path from the package root. */
export function configDocs(): Record<string, string> {
  return { 'docs/configuration.md': configurationMarkdown(), '.env.example': envExample() }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [path, text] of Object.entries(configDocs())) {
    writeFileSync(join(packageRoot, path), text)
    process.stdout.write(`wrote ${path}\n`)
  }
}
