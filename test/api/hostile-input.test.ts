import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import fc from 'fast-check'
import t from 'tap'
import { packageRoot } from '../../src/package-info.js'
import { buildTestApp } from '../helpers/app.js'
import { openapi, OPERATION_IDS } from '../helpers/contract.js'

/**
 * Property: whatever a client sends, the answer is < 500, every error has the
 * documented `{ error }` shape, and nothing internal leaks. Successful answers
 * are checked against the OpenAPI document by the test helper as they arrive.
 *
 * The operations and their parameters are read from the committed openapi.yaml,
 * so a new route is covered as soon as it is documented; its parameters' examples
 * (or defaults, or enum values) make the valid request the hostile ones start from.
 */
// Rate limiting and load shedding are off here: the generator shares the app's event
// loop and would trip both; each has its own test (observability.test.ts). The deadline is
// raised: under tsx the first PDF starts a worker thread that compiles its modules, which
// takes seconds on a busy machine (the deadline has its own tests).
const app = await buildTestApp(t, { RATE_LIMIT_MAX: '0', MAX_EVENT_LOOP_DELAY_MS: '0', REQUEST_TIMEOUT_MS: '30000' })

const RUNS = 2200
const LEAK = /(\bat [\w.<>]+ \(|node:internal|node_modules|\.ts:\d|Exception\b|ECONN|\$metadata|TypeError|ReferenceError|Cannot read)/

// --- the operations of the contract -------------------------------------------------------------

interface Schema {
  type?: string
  minimum?: number
  maximum?: number
  enum?: unknown[]
  default?: unknown
  examples?: unknown[]
  properties?: Record<string, Schema>
  items?: Schema
  required?: string[]
  /** A value above `maximum` is answered as `maximum` (STAC's `limit`), not refused. */
  'x-clamped'?: boolean
  /** Parameters this one excludes (STAC's `intersects` and `bbox`): the valid request leaves it out. */
  'x-not-with'?: string[]
}
interface Parameter {
  name: string
  in: 'path' | 'query'
  required?: boolean
  schema: Schema
  example?: unknown
}
type Ref<T> = T | { $ref: string }
interface RequestBody {
  content: Record<string, { schema: Ref<Schema>; example?: unknown }>
}
interface DocumentedOperation {
  operationId: string
  parameters?: Ref<Parameter>[]
  requestBody?: Ref<RequestBody>
  responses: Record<string, unknown>
}
interface Operation {
  id: string
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  template: string
  parameters: (Parameter & { valid: string[]; check: (value: string) => boolean })[]
  body?: { example: Record<string, unknown>; schema: Schema; check: (value: unknown) => boolean }
  /** What a valid request gets: 200, or the redirect of an operation that documents only a 302. */
  success: number
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch']
const paths = openapi.paths as unknown as Record<string, Record<string, DocumentedOperation>>
const pointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1')

/**
 * The document's JSON Schemas, `$ref`s and all, for telling a conforming value from one that is not.
 * strictNumbers: Infinity and NaN are no JSON numbers (`strict: false` alone would allow them).
 */
const ajv = new Ajv2020({ strict: false, strictNumbers: true })
ajv.addSchema(openapi, 'openapi')
const checker = (ref: string) => {
  const validate = ajv.getSchema(ref)
  if (!validate) throw new Error(`no schema at ${ref}`)
  return (value: unknown) => validate(value) as boolean
}

/** How the contract writes an integer and a number parameter: decimal, nothing around it (and finite once read). */
const DECIMAL: Record<'integer' | 'number', RegExp> = { integer: /^-?\d+$/, number: /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/ }

const isRef = (node: unknown): node is { $ref: string } => typeof node === 'object' && node !== null && '$ref' in node

/** The object a `$ref` points at, and where (for Ajv), or the node itself at `at`. */
function resolve<T>(node: Ref<T>, at: string): { value: T; at: string } {
  if (!isRef(node)) return { value: node, at }
  const steps = node.$ref.replace(/^#\//, '').split('/')
  const target = steps.reduce<any>((here, step) => here[step.replace(/~1/g, '/').replace(/~0/g, '~')], openapi)
  return resolve(target as Ref<T>, `openapi${node.$ref}`)
}

const operations: Operation[] = Object.entries(paths).flatMap(([template, item]) =>
  Object.entries(item)
    .filter(([method]) => HTTP_METHODS.includes(method))
    .map(([method, op]): Operation => {
      const at = `openapi#/paths/${pointer(template)}/${method}`
      const parameters = (op.parameters ?? []).map((raw, i) => {
        const { value: p, at: pAt } = resolve(raw, `${at}/parameters/${i}`)
        if (p.in !== 'path' && p.in !== 'query') throw new Error(`${op.operationId}: ${p.in as string} parameters are not covered here yet`)
        const candidates = [p.example, ...(p.schema.examples ?? []), p.schema.default, ...(p.schema.enum ?? [])]
        const valid = [...new Set(candidates.filter((v) => v !== undefined).map(String))]
        if (valid.length === 0) throw new Error(`${op.operationId}: parameter '${p.name}' has no example, default or enum value`)
        // A parameter arrives as text: a number must be written in decimal, and is checked as the number it reads as.
        const conforms = checker(`${pAt}/schema`)
        const decimal = p.schema.type === 'integer' || p.schema.type === 'number' ? DECIMAL[p.schema.type] : undefined
        const check = (value: string) =>
          decimal ? decimal.test(value) && Number.isFinite(Number(value)) && conforms(Number(value)) : conforms(value)
        return { ...p, valid, check }
      })
      let body: Operation['body']
      if (op.requestBody) {
        const { value: requestBody, at: bodyAt } = resolve(op.requestBody, `${at}/requestBody`)
        const json = requestBody.content['application/json']
        if (!json || typeof json.example !== 'object' || json.example === null)
          throw new Error(`${op.operationId}: a request body needs an application/json example`)
        const schema = resolve(json.schema, '').value
        body = { example: json.example as Record<string, unknown>, schema, check: checker(`${bodyAt}/content/application~1json/schema`) }
      }
      const success = op.responses['200'] === undefined && op.responses['302'] !== undefined ? 302 : 200
      return { id: op.operationId, method: method.toUpperCase() as Operation['method'], template, parameters, body, success }
    })
)

interface Request {
  op: Operation
  method: Operation['method']
  url: string
  headers: Record<string, string>
  payload?: string
}

/** A request of `op` with the given parameter values, already in URL form; undefined leaves one out. */
function request(op: Operation, values: Record<string, string | undefined>, extraQuery: string[] = [], payload?: string): Request {
  const path = op.template.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? '')
  const query = [
    ...op.parameters.filter((p) => p.in === 'query' && values[p.name] !== undefined).map((p) => `${p.name}=${values[p.name]}`),
    ...extraQuery
  ]
  const headers: Record<string, string> = payload === undefined ? {} : { 'content-type': 'application/json' }
  return { op, method: op.method, url: query.length ? `${path}?${query.join('&')}` : path, headers, payload }
}

/** Every parameter at its first valid value (but one that excludes another, `x-not-with`), and the body at its example. */
const validValues = (op: Operation) =>
  Object.fromEntries(
    op.parameters.map((p) => [p.name, p.schema['x-not-with']?.length ? undefined : encodeURIComponent(p.valid[0]!)])
  ) as Record<string, string | undefined>
const validPayload = (op: Operation) => (op.body ? JSON.stringify(op.body.example) : undefined)

async function send(r: Request) {
  const res = await app.inject({ method: r.method, url: r.url, headers: r.headers, payload: r.payload })
  const where = `${r.method} ${r.url}${r.payload === undefined ? '' : ` ${r.payload.slice(0, 200)}`}`
  const problems: string[] = []
  if (res.statusCode >= 500) problems.push(`${res.statusCode} for ${where}: ${res.body.slice(0, 300)}`)
  if (LEAK.test(res.body)) problems.push(`internal detail leaked for ${where}: ${res.body.slice(0, 300)}`)
  let error: string | undefined
  if (res.statusCode >= 400) {
    const body = res.json()
    if (typeof body.error !== 'string' || Object.keys(body).length !== 1) problems.push(`bad error body for ${where}: ${res.body}`)
    else error = body.error
  }
  return { status: res.statusCode, error, where, problems }
}

// --- hostile values ------------------------------------------------------------------------------

/** Strings a hostile or careless client sends. */
const hostile = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '..',
    '../x',
    '../../etc/passwd',
    'a/../b',
    '..%2Fx',
    'a%2Fb',
    '%2e%2e%2f',
    '%00',
    '%',
    '%zz',
    '%E0%A4%A',
    '\u0000',
    '\r\nX-Injected: 1',
    '<script>',
    "' OR 1=1 --",
    '{"$ne":null}',
    '*',
    '',
    ' ',
    'null',
    'undefined',
    'NaN',
    'Infinity',
    '1e999',
    '-1',
    '1.5',
    '__proto__',
    'constructor',
    'leyte#tongonan',
    'tongonan#20241230'
  ),
  fc.integer({ min: 129, max: 3000 }).map((n) => 'x'.repeat(n)),
  // Values that pass the allow-lists: the request then reaches the emulators.
  fc.constantFrom(...new Set(operations.flatMap((op) => op.parameters.flatMap((p) => p.valid)))),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,20}$/)
)

/** Percent-encode, or sometimes send the raw characters (as a broken client would). */
const encode = (value: string, raw: boolean) => (raw ? value.replace(/[#?&\s]/g, (c) => encodeURIComponent(c)) : encodeURIComponent(value))

/** Every query parameter name the document knows, and one it does not. */
const QUERY_NAMES = [...new Set(operations.flatMap((op) => op.parameters.filter((p) => p.in === 'query').map((p) => p.name))), 'extra']

/** A parameter: one of its valid values, something hostile, or (when it may be) nothing. */
const parameterValue = (p: Operation['parameters'][number]): fc.Arbitrary<string | undefined> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...p.valid).map(encodeURIComponent) },
    { weight: 2, arbitrary: fc.tuple(hostile, fc.boolean()).map(([v, raw]) => encode(v, raw)) },
    ...(p.in === 'path' ? [] : [{ weight: 1, arbitrary: fc.constant(undefined) }])
  )

/** JSON values of every type, hostile strings among them. */
const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  hostile,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 })
)

/** The paths of the fields of a body: its properties, and those of the first item of an array of objects. */
function fieldPaths(schema: Schema, example: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => {
    const path = [...prefix, name]
    const value = (example as Record<string, unknown> | undefined)?.[name]
    const items = resolve<Schema>(resolve<Schema>(property, '').value.items ?? {}, '').value
    const nested = items.properties && Array.isArray(value) && value.length > 0 ? fieldPaths(items, value[0], [...path, 0]) : []
    return [path, ...nested]
  })
}

/** The example with the field at `path` set to `value`, or removed when `value` is undefined. */
function withField(example: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(example) as Record<string | number, unknown>
  const parent = path.slice(0, -1).reduce<any>((at, step) => at?.[step], copy)
  if (parent !== undefined && parent !== null) {
    if (value === undefined) delete parent[path.at(-1)!]
    else parent[path.at(-1)!] = value
  }
  return copy
}

const payloadOf = (op: Operation): fc.Arbitrary<string | undefined> => {
  const body = op.body
  if (!body) return fc.constant(undefined)
  const fields = fieldPaths(body.schema, body.example)
  return fc.oneof(
    fc.constant(JSON.stringify(body.example)),
    fc
      .tuple(fc.constantFrom(...fields), fc.option(hostileJson, { nil: undefined }))
      .map(([path, v]) => JSON.stringify(withField(body.example, path, v))),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 60 })
  )
}

const requests: fc.Arbitrary<Request> = fc.oneof(
  ...operations.map((op) =>
    fc
      .record({
        values: fc.tuple(...op.parameters.map(parameterValue)),
        extra: fc.array(fc.tuple(fc.constantFrom(...QUERY_NAMES), hostile, fc.boolean()), { maxLength: 2 }),
        payload: payloadOf(op)
      })
      .map(({ values, extra, payload }) =>
        request(
          op,
          Object.fromEntries(op.parameters.map((p, i) => [p.name, values[i]])),
          extra.map(([k, v, raw]) => `${k}=${encode(v, raw)}`),
          payload
        )
      )
  )
)

// --- the tests -----------------------------------------------------------------------------------

t.test('the operations come from openapi.yaml, all of them', async (t) => {
  const documented = readFileSync(join(packageRoot, 'openapi.yaml'), 'utf8').match(/^\s+operationId: /gm) ?? []
  t.equal(operations.length, documented.length, 'one derived operation per operationId in the document')
  t.same(operations.map((op) => op.id).sort(), [...OPERATION_IDS].sort())
  for (const id of [
    'getTile',
    'getMosaicInfo',
    'getMosaicPreview',
    'getPadMeasurement',
    'listSurveyMeasurements',
    'generateLineLossReport'
  ])
    t.ok(
      operations.some((op) => op.id === id),
      id
    )
  for (const op of operations) {
    const res = await send(request(op, validValues(op), [], validPayload(op)))
    t.same(res.problems, [], `${op.id}: its valid request is answered cleanly`)
    t.ok([op.success, 404].includes(res.status), `${op.id}: its valid request gets ${op.success} or 404 (${res.status} ${res.error ?? ''})`)
  }
})

t.test(`${RUNS} hostile requests across every operation`, async (t) => {
  const statuses = new Map<number, number>()
  const exercised = new Set<string>()
  await fc.assert(
    fc.asyncProperty(requests, async (r) => {
      const res = await send(r)
      exercised.add(r.op.id)
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
      if (res.problems.length > 0) throw new Error(res.problems.join('\n'))
    }),
    { numRuns: RUNS, seed: 20261122, endOnFailure: true }
  )
  const summary = [...statuses.entries()]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ')
  t.comment(`statuses: ${summary}`)
  t.ok((statuses.get(400) ?? 0) > RUNS / 4, 'most hostile input is rejected with 400')
  t.ok((statuses.get(200) ?? 0) > 50, 'some generated requests are valid and succeed')
  t.equal([...statuses.keys()].filter((s) => s >= 500).length, 0, 'no 5xx at all')
  t.same(
    operations.map((op) => op.id).filter((id) => !exercised.has(id)),
    [],
    'every operation was exercised'
  )
})

/** The variants each parameter gets, whatever its type: the value is percent-encoded into place. */
const PARAMETER_VARIANTS: [string, (valid: string) => string][] = [
  ['traversal', () => '../../etc/passwd'],
  ['traversal after a valid value', (v) => `${v}/../x`],
  ['NUL', (v) => `${v}\u0000`],
  ['over-long', () => 'x'.repeat(3000)],
  ['a number that is not finite', () => '1e999'],
  ['a negative number', () => '-1'],
  ['a fraction', () => '1.5'],
  ['not a number', () => 'NaN'],
  ['markup', () => '<script>'],
  ['an unknown id of the right shape', (v) => `${v}-zz9`]
]

/**
 * The error names the parameter; for one that shares its path segment with others
 * (`{y}.{format}`) the router may read a dot of the value as theirs, so any of them.
 */
function naming(op: Operation, p: Parameter): RegExp {
  const segment = p.in === 'path' ? op.template.split('/').find((s) => s.includes(`{${p.name}}`)) : undefined
  const names = segment ? [...segment.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!) : [p.name]
  return new RegExp(`parameter '(${names.join('|')})'`)
}

t.test(
  'every parameter of every operation: a hostile value is a 400 naming it before any AWS call, or a clean 200/404 when it conforms',
  async (t) => {
    let checked = 0
    for (const op of operations) {
      for (const p of op.parameters) {
        const named = naming(op, p)
        for (const [variant, make] of PARAMETER_VARIANTS) {
          const value = make(p.valid[0]!)
          app.aws.calls.reset()
          const res = await send(request(op, { ...validValues(op), [p.name]: encodeURIComponent(value) }, [], validPayload(op)))
          const label = `${op.id} ${p.in} '${p.name}', ${variant}`
          t.same(res.problems, [], label)
          if (!p.check(value)) {
            t.equal(res.status, 400, `${label}: 400`)
            t.match(res.error, named, `${label}: the error names it`)
            t.equal(app.aws.calls.total(), 0, `${label}: refused before any AWS call`)
          } else {
            t.ok(
              [op.success, 400, 404].includes(res.status),
              `${label}: conforms, so ${op.success}, 404 or a 400 naming it (${res.status})`
            )
            if (res.status === 400) t.match(res.error, named, `${label}: the error names it`)
          }
          checked++
        }
        if (p.in === 'query') {
          // Repeated parameters arrive as an array; each must be refused by name, not coerced to one value.
          const twice = `${p.name}=${encodeURIComponent(p.valid[0]!)}&${p.name}=${encodeURIComponent(p.valid.at(-1)!)}`
          const values = { ...validValues(op), [p.name]: undefined }
          const res = await send(request(op, values, [twice], validPayload(op)))
          t.same(res.problems, [], `${op.id}: '${p.name}' twice`)
          t.equal(res.status, 400, `${op.id}: '${p.name}' twice is a 400`)
          t.match(res.error, `parameter '${p.name}'`, `${op.id}: '${p.name}' twice: the error names it`)
        }
      }
      // Validation removes query parameters the operation does not define: the request is answered as without it.
      const plain = await send(request(op, validValues(op), [], validPayload(op)))
      const unknown = await send(request(op, validValues(op), ['extra=1'], validPayload(op)))
      t.same(unknown.problems, [], `${op.id}: an unknown query parameter`)
      t.equal(unknown.status, plain.status, `${op.id}: an unknown query parameter is ignored`)
    }
    t.ok(checked >= operations.length, `${checked} hostile parameter values`)
  }
)

/** The variants each body field gets; a NOT_FINITE value is written into the JSON text as `1e999`. */
const NOT_FINITE = '\u0000not-finite\u0000'
const BODY_VARIANTS: [string, unknown][] = [
  ['missing', undefined],
  ['a number', 5],
  ['a negative number', -1],
  ['a number that is not finite', NOT_FINITE],
  ['true', true],
  ['null', null],
  ['an array', []],
  ['an object', {}],
  ['a string', 'x'],
  ['an empty string', ''],
  ['traversal', '../../etc/passwd'],
  ['NUL', 'a\u0000b'],
  ['over-long', 'x'.repeat(3000)]
]

t.test(
  'every field of every request body: a hostile value is a 400 naming it before any AWS call, or a clean 200 when it conforms',
  async (t) => {
    for (const op of operations.filter((o) => o.body)) {
      const body = op.body!
      for (const path of fieldPaths(body.schema, body.example)) {
        for (const [variant, value] of BODY_VARIANTS) {
          const edited = withField(body.example, path, value)
          const payload = JSON.stringify(edited).replace(JSON.stringify(NOT_FINITE), '1e999')
          app.aws.calls.reset()
          const res = await send(request(op, validValues(op), [], payload))
          const name = path.join('.')
          const label = `${op.id} body '${name}', ${variant}`
          t.same(res.problems, [], label)
          if (!body.check(JSON.parse(payload))) {
            t.equal(res.status, 400, `${label}: 400`)
            t.match(res.error, `parameter '${name}'`, `${label}: the error names it`)
            t.equal(app.aws.calls.total(), 0, `${label}: refused before any AWS call`)
          } else {
            t.equal(res.status, 200, `${label}: conforms, so 200`)
          }
        }
      }
      // The body as a whole: not JSON, not an object, empty, not declared as JSON, too large.
      const whole: [string, Partial<Request>][] = [
        ['not JSON', { payload: '{"site":' }],
        ['an array', { payload: '[]' }],
        ['a string', { payload: '"x"' }],
        ['empty', { payload: '' }],
        ['text/plain', { payload: JSON.stringify(body.example), headers: { 'content-type': 'text/plain' } }],
        ['1 MB', { payload: JSON.stringify({ ...body.example, pad: 'x'.repeat(1 << 20) }) }]
      ]
      for (const [variant, edit] of whole) {
        const base = request(op, validValues(op), [], '')
        const res = await send({ ...base, ...edit, headers: { ...base.headers, ...edit.headers } })
        t.same(res.problems, [], `${op.id} body ${variant}`)
        t.ok(res.status >= 400 && res.status < 500, `${op.id} body ${variant}: ${res.status} ${res.error}`)
      }
    }
  }
)

/** Texts that Number() reads as a number but the contract does not: each is a 400 for every numeric parameter. */
const NOT_DECIMAL = [
  'Infinity',
  '-Infinity',
  'NaN',
  '1e400',
  '-1e400',
  '9'.repeat(400),
  '0x10',
  '0b11',
  '0o7',
  ' 5',
  '5 ',
  '\t5',
  '+5',
  '1_0'
]
/** And for an integer, what reads as an integer in another notation. */
const NOT_INTEGER = ['1e3', '1.0', '2.5']

t.test('every integer and number parameter of every operation takes a finite decimal in its range, else a 400 naming it', async (t) => {
  const numeric = operations.flatMap((op) =>
    op.parameters.filter((p) => p.schema.type === 'integer' || p.schema.type === 'number').map((p) => ({ op, p }))
  )
  t.ok(numeric.length >= 2, `${numeric.length} numeric parameters in the document (limit, max_size at least)`)
  for (const { op, p } of numeric) {
    const { minimum, maximum } = p.schema
    const clamped = p.schema['x-clamped'] === true
    const outOfRange = [
      ...(minimum === undefined ? [] : [String(minimum - 1)]),
      ...(maximum === undefined || clamped ? [] : [String(maximum + 1)])
    ]
    const bad = [...NOT_DECIMAL, ...(p.schema.type === 'integer' ? NOT_INTEGER : []), ...outOfRange]
    for (const value of bad) {
      app.aws.calls.reset()
      const res = await send(request(op, { ...validValues(op), [p.name]: encodeURIComponent(value) }, [], validPayload(op)))
      const label = `${op.id} ${p.in} '${p.name}'=${JSON.stringify(value.length > 20 ? `${value.slice(0, 8)}…` : value)}`
      t.ok(
        res.status === 400 && res.problems.length === 0 && naming(op, p).test(res.error ?? ''),
        `${label}: a 400 naming it (${res.status} ${res.error})`
      )
      t.equal(app.aws.calls.total(), 0, `${label}: refused before any AWS call`)
    }
    // The bounds themselves are in range, and so is anything above a clamped maximum.
    const inRange = [minimum, maximum, ...(clamped && maximum !== undefined ? [maximum + 1, maximum * 10] : [])]
    for (const value of inRange.filter((v) => v !== undefined).map(String)) {
      const res = await send(request(op, { ...validValues(op), [p.name]: value }, [], validPayload(op)))
      t.ok(
        [200, 404].includes(res.status) && res.problems.length === 0,
        `${op.id} '${p.name}'=${value}: in range (${res.status} ${res.error ?? ''})`
      )
    }
  }
})
