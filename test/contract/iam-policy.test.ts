import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import t, { type Test } from 'tap'
import { EnvSchema } from '../../src/env-schema.js'
import { packageRoot } from '../../src/package-info.js'

/**
 * docs/iam-policy.json grants exactly what the production code sends: every SDK command in
 * src/, on the table its class is wired to (and the index it names), or on the bucket. A new
 * read, table or index fails this test until the policy grants it, and a grant nothing uses
 * fails it too. Placeholders are the variables that name each resource (IMAGES_TABLE, S3_BUCKET).
 */

/** The IAM action that authorises each command. */
const ACTION: Record<string, string> = {
  GetCommand: 'dynamodb:GetItem',
  QueryCommand: 'dynamodb:Query',
  ScanCommand: 'dynamodb:Scan',
  DescribeTableCommand: 'dynamodb:DescribeTable',
  GetObjectCommand: 's3:GetObject',
  // S3 has no HeadObject or HeadBucket action: a HEAD is authorised by GetObject, HeadBucket by ListBucket.
  HeadObjectCommand: 's3:GetObject',
  ListObjectsV2Command: 's3:ListBucket',
  HeadBucketCommand: 's3:ListBucket'
}

const TABLE_ARN = 'arn:aws:dynamodb:AWS_REGION:ACCOUNT_ID:table/'
// Object keys come from validated parts (src/domain/keys.ts) and from stored records (an image's
// optical_s3_key), which may lie anywhere in the bucket: reads cover the whole bucket.
const OBJECTS_ARN = 'arn:aws:s3:::S3_BUCKET/*'
const BUCKET_ARN = 'arn:aws:s3:::S3_BUCKET'

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []
  )
}

const files = sourceFiles(join(packageRoot, 'src')).map((path) => ({ path: relative(packageRoot, path), text: readFileSync(path, 'utf8') }))

/** The text of the call's arguments: from the `(` at `open` to its matching `)`. */
function argumentsAt(text: string, open: number): string {
  let depth = 0
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++
    else if (text[i] === ')' && --depth === 0) return text.slice(open + 1, i)
  }
  throw new Error(`unbalanced call at ${open}`)
}

/** Every `new Name(...)` of the given names in the production sources, with its arguments. */
function constructions(names: RegExp): { file: string; name: string; args: string }[] {
  return files.flatMap((f) =>
    [...f.text.matchAll(new RegExp(`new (${names.source})\\(`, 'g'))].map((m) => ({
      file: f.path,
      name: m[1]!,
      args: argumentsAt(f.text, m.index + m[0].length - 1)
    }))
  )
}

/** The table variables a data class is built with, from its wiring: `config.aws.imagesTable` → IMAGES_TABLE. */
function tablesOf(className: string): string[] {
  const wired = constructions(new RegExp(className))
  const tables = wired.flatMap((w) => [...w.args.matchAll(/config\.aws\.(\w+)Table\b/g)].map((m) => `${m[1]!.toUpperCase()}_TABLE`))
  return [...new Set(tables)]
}

/** (action, resource) pairs the code needs. */
function needed(t: Test): Set<string> {
  const grants = new Set<string>()
  for (const f of files) {
    for (const m of f.text.matchAll(/new (\w+Command)\(/g)) {
      const command = m[1]!
      const action = ACTION[command]
      if (!action) {
        t.fail(`${f.path} sends ${command}: add the IAM action that authorises it to this test and the policy`)
        continue
      }
      if (action.startsWith('s3:')) {
        grants.add(`${action} ${action === 's3:GetObject' ? OBJECTS_ARN : BUCKET_ARN}`)
        continue
      }
      const classes = [...f.text.matchAll(/export class (\w+)/g)].map((c) => c[1]!)
      const tables = classes.flatMap(tablesOf)
      t.ok(tables.length > 0, `${f.path}: the table ${command} reads is wired from config.aws`)
      const index = /IndexName: (\w+)/.exec(argumentsAt(f.text, m.index + m[0].length - 1))?.[1]
      const indexName = index && new RegExp(`export const ${index} = '([\\w.-]+)'`).exec(f.text)?.[1]
      if (index) t.ok(indexName, `${f.path}: the index ${index} is a constant of the file`)
      for (const table of tables) grants.add(`${action} ${TABLE_ARN}${table}${indexName ? `/index/${indexName}` : ''}`)
    }
  }
  return grants
}

interface Statement {
  Effect: string
  Action: string | string[]
  Resource: string | string[]
}

const policy = JSON.parse(readFileSync(join(packageRoot, 'docs', 'iam-policy.json'), 'utf8')) as { Statement: Statement[] }
const list = (v: string | string[]) => (Array.isArray(v) ? v : [v])

t.test('docs/iam-policy.json grants exactly the reads the service makes', async (t) => {
  const granted = new Set<string>()
  for (const s of policy.Statement) {
    t.equal(s.Effect, 'Allow')
    for (const action of list(s.Action)) for (const resource of list(s.Resource)) granted.add(`${action} ${resource}`)
  }
  const want = needed(t)
  t.same([...granted].sort(), [...want].sort())
})

t.test('the reads cover every table the service reads, the measurements table among them', async (t) => {
  const want = [...needed(t)].join('\n')
  for (const table of ['IMAGES_TABLE', 'PADS_TABLE', 'MEASUREMENTS_TABLE']) {
    t.ok(table in EnvSchema.properties, `${table} is a variable`)
    t.match(want, `table/${table}`, `${table} is read`)
  }
  t.notMatch(want, 'JOBS_TABLE', 'the jobs table is written by the seed and read by no one here')
  t.match(want, /dynamodb:Query \S+\/index\/SiteSectorPeriodPadIndex/, 'the measurements index the line-loss endpoints query')
})
