import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import t from 'tap'
import { packageRoot } from '../../src/package-info.js'
import { buildTestApp } from '../helpers/app.js'
import { CHROMIUM, newPage } from '../helpers/browser.js'

/**
 * A Leaflet map in Debian's Chromium, on a page of another origin (so CORS is
 * exercised as MapLibre or Leaflet in the React viewer would), drawing PAD_105's
 * optical and medical tiles from the API. Leaflet is served from node_modules.
 */

const QUERY = 'site=leyte&sector=tongonan&period=20241230&pad_id=leyte_tongonan_PAD_105'

t.setTimeout(170_000)

function page(api: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>PAD_105 tiles</title>
<link rel="stylesheet" href="/leaflet/leaflet.css">
<style>body{margin:0;display:flex;font:13px sans-serif} .m{width:640px;height:640px} .label{position:absolute;z-index:1000;background:#fff;padding:2px 6px;margin:6px 50px}</style>
</head><body>
<div><div class="label">optical</div><div id="optical" class="m"></div></div>
<div><div class="label">medical</div><div id="medical" class="m"></div></div>
<script src="/leaflet/leaflet.js"></script>
<script>
  window.loaded = 0; window.failed = 0
  async function show(id, type) {
    const tj = await (await fetch('${api}/api/tiles/tilejson.json?${QUERY}&mosaic_type=' + type + '&format=png')).json()
    const map = L.map(id, { zoomControl: false, attributionControl: false, fadeAnimation: false, zoomAnimation: false })
    map.fitBounds([[tj.bounds[1], tj.bounds[0]], [tj.bounds[3], tj.bounds[2]]])
    const layer = L.tileLayer(tj.tiles[0], { minZoom: tj.minzoom, maxZoom: 24, maxNativeZoom: tj.maxzoom, bounds: [[tj.bounds[1], tj.bounds[0]], [tj.bounds[3], tj.bounds[2]]] })
    layer.on('load', () => { window.loaded++ })
    layer.on('tileerror', () => { window.failed++ })
    layer.addTo(map)
  }
  show('optical', 'optical'); show('medical', 'medical')
</script></body></html>`
}

if (!existsSync(CHROMIUM)) {
  t.fail(`${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium) to run the map browser test`)
} else {
  t.test('Leaflet draws the optical and medical tiles of a demo pad', async (t) => {
    const app = await buildTestApp(t, { MAX_EVENT_LOOP_DELAY_MS: '0' })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const api = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`

    const leaflet = join(packageRoot, 'node_modules', 'leaflet', 'dist')
    const site = createServer((req, res) => {
      const url = req.url ?? '/'
      if (url === '/') {
        res.writeHead(200, { 'content-type': 'text/html' }).end(page(api))
      } else if (url === '/leaflet/leaflet.js' || url === '/leaflet/leaflet.css') {
        const type = url.endsWith('.js') ? 'text/javascript' : 'text/css'
        res.writeHead(200, { 'content-type': type }).end(readFileSync(join(leaflet, url.slice('/leaflet/'.length))))
      } else if (url === '/favicon.ico') {
        res.writeHead(204).end()
      } else {
        res.writeHead(404).end()
      }
    })
    await new Promise<void>((resolve) => site.listen(0, 'localhost', resolve))
    t.teardown(() => new Promise<void>((resolve) => site.close(() => resolve())))
    // localhost, not 127.0.0.1: another origin than the API's.
    const origin = `http://localhost:${(site.address() as AddressInfo).port}`

    const tab = await newPage(t, { viewport: { width: 1280, height: 640 } })
    const errors: string[] = []
    tab.on('pageerror', (e) => errors.push(e.message))
    tab.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text())
    })
    await tab.goto(origin)
    await tab.waitForFunction('window.loaded >= 2', undefined, { timeout: 120_000 })
    t.same(errors, [], 'no page or console errors (CORS included)')
    t.equal(await tab.evaluate('window.failed'), 0, 'no tile failed')

    const dir = mkdtempSync(join(tmpdir(), 'tv-map-'))
    const file = join(dir, 'pad-105-tiles.png')
    await tab.screenshot({ path: file })
    t.comment(`screenshot: ${file}`)
    t.ok(statSync(file).size > 0)

    // The optical map shows gravel and vegetation, the medical one the ironbow palette's purples.
    const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true })
    const mean = (x0: number) => {
      const sum = [0, 0, 0]
      let n = 0
      for (let y = 200; y < 440; y++) {
        for (let x = x0 + 200; x < x0 + 440; x++) {
          const o = (y * info.width + x) * 3
          for (let c = 0; c < 3; c++) sum[c]! += data[o + c]!
          n++
        }
      }
      return sum.map((v) => v / n)
    }
    const [or, og, ob] = mean(0)
    const [mr, mg, mb] = mean(640)
    t.ok(og! > ob! && or! > ob!, `optical centre is earthy (${[or, og, ob].map((v) => v!.toFixed(0)).join(', ')})`)
    t.ok(mb! > mg! && mr! > mg!, `medical centre is ironbow purple (${[mr, mg, mb].map((v) => v!.toFixed(0)).join(', ')})`)
  })
}
