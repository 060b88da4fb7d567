import { MODES, type BenchResults, type Cell, type ScaleResult } from './types.js'

const pct = (r?: number) => (r === undefined ? '–' : `${Math.round(r * 100)} %`)
const num = (n?: number) => (n === undefined ? '–' : n.toLocaleString('en-US'))
const ms = (n?: number) => (n === undefined ? '–' : n < 10 ? n.toFixed(1) : String(Math.round(n)))
const cellText = (c?: Cell) => (c ? `${num(c.rps)} (${pct(c.ratio)})` : '–')
const lat = (c?: Cell) => (c ? `${ms(c.p50_ms)} / ${ms(c.p99_ms)}` : '–')

function callsText(calls: Record<string, number>): string {
  const parts = Object.entries(calls).map(([op, n]) => `${n} ${op.split('.')[1]}`)
  return parts.length ? parts.join(' + ') : '0'
}

/** Runs before the load generator was recorded used autocannon. */
const loadName = (r: BenchResults) => (r.settings.load_generator === 'wrk' ? 'wrk (1 thread)' : 'autocannon')

/** The warm JSON endpoints the CPU target covers (cameras and the probes are reported, not judged). */
export const CPU_TARGET_ENDPOINTS = [
  'sites',
  'sectors',
  'periods',
  'pads',
  'pads?period',
  'mosaic metadata',
  'optical',
  'thermal',
  'thermal stats',
  'coverage'
]
export const CPU_TARGET_RATIO = 2.0

/** Server CPU per request of every warm endpoint beside hello-world's, measured around it in the same run. */
function cpuTable(s: ScaleResult, conns: number[]): string[] {
  const out = [
    `## Server CPU per request, warm (${s.scale}×)`,
    '',
    "The server process's own CPU time (user + system, `process.cpuUsage()`) over the cell, divided by the requests " +
      'answered; hello-world is measured just before and just after each cell and the two are averaged.',
    '',
    '| endpoint | ' + conns.map((c) => `req/s @${c} | µs/request @${c} | hello-world µs @${c} | ratio @${c}`).join(' | ') + ' |',
    '|' + ' --- |'.repeat(1 + 4 * conns.length)
  ]
  const one = (x?: number) => (x === undefined ? '–' : x.toFixed(1))
  for (const e of s.endpoints) {
    const w = e.cells.warm ?? {}
    out.push(
      `| ${e.name} | ` +
        conns
          .map((c) => {
            const x = w[String(c)]
            const h = e.hello?.[String(c)]
            return `${num(x?.rps)} | ${one(x?.cpu_us_per_request)} | ${one(h?.cpu_us_per_request)} | ${x?.cpu_ratio === undefined ? '–' : `${x.cpu_ratio.toFixed(2)}×`}`
          })
          .join(' | ') +
        ' |'
    )
  }
  out.push('')
  return out
}

/** The Markdown tables of a run: throughput per endpoint at the largest scale, then cost per request at every scale. */
export function renderMarkdown(r: BenchResults): string {
  const lines: string[] = []
  const big = r.scales.reduce<ScaleResult | undefined>((a, s) => (!a || s.scale > a.scale ? s : a), undefined)
  const conns = (r.settings.connections as number[]) ?? [1, 32]
  lines.push(`# Benchmark: ${r.label} (${r.date.slice(0, 10)})`, '')
  lines.push(
    `${r.machine.cpus} × ${r.machine.cpu}, ${r.machine.memory_gb} GB, Node ${r.machine.node}. ` +
      `${r.settings.duration_s} s per cell after ${r.settings.warmup_s} s warm-up, ${loadName(r)} on 127.0.0.1, ` +
      `\`accept-encoding: br, gzip\` on every API request, LOG_LEVEL=${r.settings.log_level}, rate limit off, ` +
      (typeof r.settings.pinning === 'object' && r.settings.pinning
        ? `server on CPU ${(r.settings.pinning as { server: string }).server} and ${loadName(r)} on CPU ${(r.settings.pinning as { load: string }).load}.`
        : 'processes not pinned to CPUs.') +
      (Array.isArray(r.settings.api_node_flags) ? ` API node flags: \`${(r.settings.api_node_flags as string[]).join(' ')}\`.` : ''),
    ''
  )
  for (const s of big ? [big] : []) {
    const hello = conns
      .map((c) => {
        const h = s.hello[String(c)]
        return `${num(h?.rps)} req/s @${c}` + (h?.min_rps !== undefined ? ` (${num(h.min_rps)}–${num(h.max_rps)})` : '')
      })
      .join(', ')
    lines.push(`## Throughput at ${s.scale}×`, '')
    // Older results record no modes: they ran warm first.
    const modes = Array.isArray(r.settings.modes) ? (r.settings.modes as string[]) : MODES
    lines.push(
      modes.includes('warm')
        ? `Hello-world ceiling, mean of the measurements taken around the warm cells: ${hello}. ` +
            'Each warm ratio uses the mean of the hello-world measurements just before and just after that cell; ' +
            (modes[0] === 'cold' ? 'cold ratios use a ceiling measured before the cold cells.' : "cold ratios use the run's mean.")
        : `Hello-world ceiling, measured before the cold cells: ${hello}.`,
      ''
    )
    lines.push(
      '| endpoint | ' +
        conns.map((c) => `warm req/s @${c} (of hello)`).join(' | ') +
        ` | warm p50 / p99 ms @${conns.at(-1)} | ` +
        conns.map((c) => `cold req/s @${c}`).join(' | ') +
        ` | cold p50 / p99 ms @${conns.at(-1)} |`
    )
    lines.push('|' + ' --- |'.repeat(2 + 2 * conns.length + 1))
    for (const e of s.endpoints) {
      const w = e.cells.warm ?? {}
      const c = e.cells.cold ?? {}
      lines.push(
        `| ${e.name} | ` +
          conns.map((n) => cellText(w[String(n)])).join(' | ') +
          ` | ${lat(w[String(conns.at(-1))])} | ` +
          conns.map((n) => cellText(c[String(n)])).join(' | ') +
          ` | ${lat(c[String(conns.at(-1))])} |`
      )
    }
    lines.push('', `Peak RSS of the API process at ${s.scale}×: warm ${s.rss_mb.warm ?? '–'} MB, cold ${s.rss_mb.cold ?? '–'} MB.`, '')
  }

  if (big && big.endpoints.some((e) => e.cells.warm?.[String(conns[0])]?.cpu_us_per_request !== undefined))
    lines.push(...cpuTable(big, conns))
  if (big) lines.push(...targets(r, big, conns))

  lines.push('## AWS cost of one cold request (empty cache)', '')
  const header = r.scales.map((s) => `${s.scale}×`)
  lines.push(
    '| endpoint | ' +
      header.map((h) => `calls ${h}`).join(' | ') +
      ' | ' +
      header.map((h) => `items read / keys listed ${h}`).join(' | ') +
      ' | same calls at every scale | warm repeat: calls |'
  )
  lines.push('|' + ' --- |'.repeat(1 + 2 * header.length + 2))
  const names = r.scales[0]?.endpoints.map((e) => e.name) ?? []
  for (const name of names) {
    const per = r.scales.map((s) => s.endpoints.find((e) => e.name === name)?.cold_request)
    const same = per.every((p) => p && JSON.stringify(p.calls) === JSON.stringify(per[0]!.calls))
    lines.push(
      `| ${name} | ` +
        per.map((p) => (p ? callsText(p.calls) : '–')).join(' | ') +
        ' | ' +
        per.map((p) => (p ? `${num(p.items_read)} / ${num(p.keys_listed)}` : '–')).join(' | ') +
        ` | ${same ? 'yes' : 'no'} | ${per.map((p) => p?.warm_calls_total ?? '–').join(' / ')} |`
    )
  }
  lines.push('')
  lines.push('## Archives', '')
  lines.push('| scale | sectors | pads | surveys (sector-periods) | periods per sector | pads per sector | images | bench seconds |')
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- |')
  for (const s of r.scales) {
    const a = s.archive
    lines.push(
      `| ${s.scale}× | ${num(a.sectors)} | ${num(a.pads)} | ${num(a.surveys)} | ${a.periods_per_sector} | ${a.pads_per_sector} | ${num(a.images)} | ${s.seconds ?? '–'} |`
    )
  }
  lines.push('')
  return lines.join('\n')
}

/** The issue's targets, judged by this run. */
function targets(r: BenchResults, s: ScaleResult, conns: number[]): string[] {
  const out = ['## Targets', '', '| target | measured | met |', '| --- | --- | --- |']
  const warm = (name: string, c: number) => s.endpoints.find((e) => e.name === name)?.cells.warm?.[String(c)]
  const ratioRow = (label: string, names: string[], min: number) => {
    for (const c of conns) {
      const cells = names.map((n) => [n, warm(n, c)] as const).filter(([, x]) => x)
      if (cells.length === 0) continue
      const worst = Math.min(...cells.map(([, x]) => x!.ratio ?? 0))
      const text = cells.map(([n, x]) => `${n} ${pct(x!.ratio)}`).join(', ')
      out.push(`| ${label} ≥ ${Math.round(min * 100)} % of hello-world @${c} (${s.scale}×) | ${text} | ${worst >= min ? 'yes' : 'no'} |`)
    }
  }
  for (const c of conns) {
    const h = warm('health', c)
    if (h) out.push(`| reference: /health (no service work, no AWS) @${c} | ${pct(h.ratio)} of hello-world | – |`)
  }
  if (r.settings.load_generator === 'wrk') {
    for (const c of conns) {
      const cells = CPU_TARGET_ENDPOINTS.map((n) => [n, warm(n, c)] as const).filter(([, x]) => x?.cpu_ratio !== undefined)
      if (cells.length === 0) continue
      const worst = Math.max(...cells.map(([, x]) => x!.cpu_ratio!))
      const text = cells.map(([n, x]) => `${n} ${x!.cpu_ratio!.toFixed(2)}×`).join(', ')
      out.push(
        `| warm JSON endpoints ≤ ${CPU_TARGET_RATIO.toFixed(1)}× hello-world's server CPU per request @${c} (LOG_LEVEL=${r.settings.log_level}) | ${text} | ${worst <= CPU_TARGET_RATIO ? 'yes' : 'no'} |`
      )
    }
  } else {
    // The old targets, as those (autocannon-bound) runs judged them.
    ratioRow('warm optical, orthomosaic', ['optical', 'orthomosaic'], 0.5)
    ratioRow('warm discovery', ['sites', 'sectors', 'periods', 'pads', 'pads?period'], 0.6)
  }
  const cam = warm('cameras', 32)
  if (cam) {
    const hello = s.endpoints.find((e) => e.name === 'cameras')?.hello?.['32'] ?? s.hello['32']
    out.push(
      `| warm cameras (400 features, br) ≥ 2,000 req/s @32 (${s.scale}×) | ${num(cam.rps)} req/s (hello-world ${num(hello?.rps)}) | ${cam.rps >= 2000 ? 'yes' : 'no'} |`
    )
  }
  if (r.scales.length > 1) {
    const differ = s.endpoints
      .filter((e) =>
        r.scales.some(
          (x) => JSON.stringify(x.endpoints.find((y) => y.name === e.name)?.cold_request.calls) !== JSON.stringify(e.cold_request.calls)
        )
      )
      .map((e) => e.name)
    out.push(
      `| cold call counts equal at ${r.scales.map((x) => `${x.scale}×`).join(' and ')} (periods may grow with the periods of the sector) | ${differ.length ? `differ: ${differ.join(', ')}` : 'all equal'} | ${differ.every((n) => n === 'periods') ? 'yes' : 'no'} |`
    )
  }
  for (const mode of MODES) {
    const rss = s.rss_mb[mode]
    if (rss !== undefined) out.push(`| RSS ≤ 250 MB at ${s.scale}× (${mode}) | ${rss} MB peak | ${rss <= 250 ? 'yes' : 'no'} |`)
  }
  out.push('')
  return out
}
