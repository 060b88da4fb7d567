/**
 * The layers of src/ and the direction of their imports:
 * routes → services → data and domain → aws. Wiring (app, server, plugins)
 * sits above them all. The modules at the root of src (config, errors, call
 * context, route facts, package info), src/env/ and schemas/ are shared by every layer.
 * demo/ (the embedded emulators, the demo dataset and its seeder) sits above
 * src/ and may use any of it; nothing in src/ or schemas/ imports demo/, so the
 * production build and image hold no demo code.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import t from 'tap'
import { packageRoot } from '../../src/package-info.js'

type Layer = 'demo' | 'wiring' | 'routes' | 'services' | 'cache' | 'data' | 'domain' | 'aws' | 'shared' | 'schemas'

/** What each layer may import besides itself, `shared` and `schemas`. */
const ALLOWED: Record<Layer, readonly Layer[]> = {
  demo: ['wiring', 'routes', 'services', 'cache', 'data', 'domain', 'aws'],
  wiring: ['routes', 'services', 'cache', 'data', 'domain', 'aws'],
  routes: ['services'],
  services: ['cache', 'data', 'domain', 'aws'],
  cache: [],
  data: ['domain', 'aws'],
  domain: [],
  aws: [],
  shared: ['aws'],
  schemas: []
}

function layerOf(file: string): Layer {
  const [top, dir, ...rest] = file.split('/')
  if (top === 'demo') return 'demo'
  if (top === 'schemas') return 'schemas'
  if (rest.length === 0) return ['app.ts', 'server.ts'].includes(dir!) ? 'wiring' : 'shared'
  // The configuration's variables, by group: read by config.ts.
  if (dir === 'env') return 'shared'
  if (dir === 'routes' || dir === 'services' || dir === 'cache' || dir === 'data' || dir === 'domain' || dir === 'aws') return dir
  // The tile slice (path → reader → render) sits at the services layer; its pure geometry is in domain/tiles.
  if (dir === 'tiles') return 'services'
  return 'wiring' // plugins
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(packageRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`
    if (entry.isDirectory()) return filesUnder(path)
    return path.endsWith('.ts') ? [path] : []
  })
}

/** Relative imports of a file (static, dynamic and type-only), as repository paths. */
function importsOf(file: string): string[] {
  const source = readFileSync(join(packageRoot, file), 'utf8')
  const specifiers = [...source.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!)
  return specifiers.map((spec) => relative(packageRoot, resolve(dirname(join(packageRoot, file)), spec)).replace(/\.js$/, '.ts'))
}

const files = [...filesUnder('src'), ...filesUnder('schemas'), ...filesUnder('demo')]

t.test('imports only go downward: routes → services → data/domain → aws', async (t) => {
  const violations: string[] = []
  for (const file of files) {
    const from = layerOf(file)
    for (const target of importsOf(file)) {
      const to = layerOf(target)
      const ok = to === from || to === 'shared' || to === 'schemas' || ALLOWED[from].includes(to)
      if (!ok) violations.push(`${file} (${from}) imports ${target} (${to})`)
    }
  }
  t.same(violations, [])
})

t.test('nothing in src/ or schemas/ imports demo/', async (t) => {
  const offenders = files
    .filter((f) => !f.startsWith('demo/'))
    .flatMap((f) =>
      importsOf(f)
        .filter((i) => i.startsWith('demo/'))
        .map((i) => `${f} imports ${i}`)
    )
  t.same(offenders, [])
})

t.test('no import cycles in src/, schemas/ or demo/', async (t) => {
  const graph = new Map(files.map((f) => [f, importsOf(f).filter((i) => i !== f)]))
  const cycles: string[] = []
  const state = new Map<string, 'open' | 'done'>()
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === 'done') return
    if (state.get(file) === 'open') {
      cycles.push([...path.slice(path.indexOf(file)), file].join(' → '))
      return
    }
    state.set(file, 'open')
    for (const next of graph.get(file) ?? []) visit(next, [...path, file])
    state.set(file, 'done')
  }
  for (const file of files) visit(file, [])
  t.same(cycles, [])
})

t.test('src/data imports nothing from src/services', async (t) => {
  const offenders = files.filter((f) => f.startsWith('src/data/')).filter((f) => importsOf(f).some((i) => i.startsWith('src/services/')))
  t.same(offenders, [])
})

t.test('no file in src is over 400 lines', async (t) => {
  const long = filesUnder('src')
    .map((file) => ({ file, lines: readFileSync(join(packageRoot, file), 'utf8').split('\n').length }))
    .filter((f) => f.lines > 400)
  t.same(long, [])
})

t.test('the check sees the layers it guards', async (t) => {
  // A regex that matched nothing would pass every rule above.
  t.ok(importsOf('src/services/stats-service.ts').includes('src/domain/coverage.ts'))
  t.equal(layerOf('src/routes/images.ts'), 'routes')
  t.equal(layerOf('src/config.ts'), 'shared')
  t.equal(layerOf('src/plugins/auth.ts'), 'wiring')
  t.equal(layerOf('demo/seed/seeder.ts'), 'demo')
  t.ok(importsOf('demo/server.ts').includes('src/server.ts'))
  t.equal(layerOf('src/tiles/reader.ts'), 'services')
})
