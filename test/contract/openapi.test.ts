import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { parse } from 'yaml'
import { generateOpenApiYaml } from '../../scripts/generate-openapi.js'
import { ENDPOINTS as BENCH_ENDPOINTS } from '../../bench/endpoints.js'
import { OPERATION_IDS } from '../helpers/contract.js'
import { packageRoot, packageVersion } from '../../src/package-info.js'

const run = promisify(execFile)
const bin = (name: string) => join(packageRoot, 'node_modules', '.bin', name)
const committedYaml = readFileSync(join(packageRoot, 'openapi.yaml'), 'utf8')
const doc = parse(committedYaml)

t.test('openapi.yaml is what the schemas generate (run `npm run openapi` after changing a schema)', async (t) => {
  const fresh = await generateOpenApiYaml()
  t.equal(fresh, committedYaml, 'committed openapi.yaml is out of date')
})

t.test('client/src/schema.ts is what openapi-typescript generates from openapi.yaml', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tv-client-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const out = join(dir, 'schema.ts')
  await run(bin('openapi-typescript'), [join(packageRoot, 'openapi.yaml'), '-o', out])
  t.equal(readFileSync(out, 'utf8'), readFileSync(join(packageRoot, 'client/src/schema.ts'), 'utf8'), 'client types are out of date')
})

/** The PRD's 13 operations and /ready: the viewer calls these, so the contract must keep them. */
const PRD_OPERATION_IDS = [
  'getHealth',
  'getReadiness',
  'getApiIndex',
  'listSites',
  'listSectors',
  'listPeriods',
  'listPads',
  'getMosaicMetadata',
  'getOrthomosaicUrl',
  'getCameraPositions',
  'getOpticalImageUrl',
  'getThermalImageUrl',
  'getThermalStats',
  'getCoverageStats'
]

t.test('the benchmark measures every operation of the contract', async (t) => {
  t.same([...new Set(BENCH_ENDPOINTS.map((e) => e.operationId))].sort(), [...OPERATION_IDS].sort())
})

t.test("the document: OpenAPI 3.1, complete operations (the PRD's among them), named components", async (t) => {
  t.equal(doc.openapi, '3.1.0')
  t.equal(doc.info.version, packageVersion, 'info.version comes from package.json')
  const ops: any[] = []
  for (const [path, methods] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(methods)) ops.push({ path, method, ...op })
  }
  for (const id of PRD_OPERATION_IDS)
    t.ok(
      ops.some((o) => o.operationId === id),
      `${id} is still served`
    )
  const tags = new Set(doc.tags.map((x: { name: string }) => x.name))
  for (const op of ops) {
    t.match(op.operationId, /^[a-z][A-Za-z]+$/, 'camelCase operationId')
    t.ok(op.summary && op.description, `${op.operationId} has summary and description`)
    t.ok(op.tags?.length === 1 && tags.has(op.tags[0]), `${op.operationId} has a known tag`)
    // A redirect (an asset href) documents its 302 instead.
    t.ok(op.responses['200'] ?? op.responses['302'], `${op.operationId} documents 200 (or the 302 of a redirect)`)
    if (op.parameters?.length) {
      t.ok(op.responses['400'], `${op.operationId} documents 400`)
      for (const p of op.parameters) {
        t.ok(p.description, `${op.operationId} ${p.name} is described`)
        const numeric = p.schema.type === 'integer' || p.schema.type === 'number'
        const bounded = numeric && p.schema.minimum !== undefined && p.schema.maximum !== undefined
        t.ok(p.schema.pattern || p.schema.enum || bounded, `${op.operationId} ${p.name} has a pattern, an enum or numeric bounds`)
        t.ok(p.example !== undefined || p.schema.default !== undefined, `${op.operationId} ${p.name} has an example`)
      }
    }
    if (op.path.startsWith('/api/')) {
      // The POST reads nothing from AWS, so it cannot answer 502.
      const statuses = op.operationId === 'generateLineLossReport' ? ['401', '429', '503', '504'] : ['401', '429', '502', '503', '504']
      for (const status of statuses) t.ok(op.responses[status], `${op.operationId} documents ${status}`)
    }
  }
  const names = Object.keys(doc.components.schemas)
  for (const name of [
    'Pad',
    'PadList',
    'CameraFeature',
    'CameraCollection',
    'PresignedUrl',
    'ThermalStats',
    'CoverageStats',
    'MosaicMetadata',
    'Error',
    'Health',
    'Measurement',
    'MeasurementList',
    'RegionCollection',
    'ReportLinks',
    'ThermalImageUrl',
    'DatasetTemperatureRange'
  ]) {
    t.ok(names.includes(name), `components.schemas.${name}`)
  }
  t.notMatch(committedYaml, /def-\d/, 'no anonymous def-N components')
  t.same(Object.keys(doc.components.securitySchemes).sort(), ['apiKey', 'cognitoJwt'])
  t.same(doc.paths['/health'].get.security, [], '/health is public')
  t.same(doc.paths['/ready'].get.security, [], '/ready is public')
})

t.test('GeoJSON schemas follow RFC 7946', async (t) => {
  const s = doc.components.schemas
  t.same(s.Position.minItems, 2)
  t.same(s.Position.maxItems, 3)
  // @fastify/swagger writes a TypeBox literal as a one-value enum.
  t.same(s.Point.properties.type, { type: 'string', enum: ['Point'] })
  t.same(s.Point.properties.coordinates, { $ref: '#/components/schemas/Position' })
  t.same(s.CameraCollection.properties.type, { type: 'string', enum: ['FeatureCollection'] })
  t.same(s.CameraFeature.properties.type, { type: 'string', enum: ['Feature'] })
  t.same(s.CameraFeature.required.sort(), ['geometry', 'properties', 'type'])
  for (const name of ['HotspotCollection', 'PadCollection'])
    t.same(s[name].properties.type, { type: 'string', enum: ['FeatureCollection'] })
  t.same(s.Polygon.properties.type, { type: 'string', enum: ['Polygon'] })
  t.same(s.Polygon.properties.coordinates.items.minItems, 4, 'a linear ring has at least four positions')
})

t.test('every export is documented with its media type', async (t) => {
  const media = (path: string) => Object.keys(doc.paths[path].get.responses['200'].content).sort()
  t.same(media('/api/hotspots'), ['application/geo+json', 'application/json', 'text/csv'])
  t.same(media('/api/survey/summary'), ['application/json', 'text/csv'])
  t.same(media('/api/pads'), ['application/geo+json', 'application/json'])
  t.same(media('/api/mosaic/cameras'), ['application/json', 'application/vnd.google-earth.kml+xml', 'text/csv'])
})

t.test('redocly lint (recommended ruleset) reports no errors', async (t) => {
  const res = await run(
    bin('redocly'),
    ['lint', '--config', join(packageRoot, 'scripts/redocly.yaml'), '--format', 'json', join(packageRoot, 'openapi.yaml')],
    {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' }
    }
  ).catch((err) => err as { stdout: string; code: number })
  const report = JSON.parse(res.stdout.slice(res.stdout.indexOf('{')))
  t.equal(report.totals.errors, 0, JSON.stringify(report.problems?.filter((p: any) => p.severity === 'error').slice(0, 3)))
})
