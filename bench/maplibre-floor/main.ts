/**
 * The floor under the viewer's first-tile figure (bench/first-tile.ts --page floor): MapLibre and nothing else. One
 * TileJSON fetch, then a map of the pad's optical mosaic, marked the way the viewer marks its first tile. No React,
 * no panels, no overlays, no other API call: what is left is what MapLibre itself costs on this browser.
 */
import maplibregl, { type MapDataEvent } from 'maplibre-gl'
import 'maplibre-gl/dist/maplibre-gl.css'
import './page.css'

interface TileJson {
  tiles: string[]
  bounds: [number, number, number, number]
  minzoom: number
  maxzoom: number
}

const link = new URLSearchParams(window.location.search)
const query = new URLSearchParams({
  site: link.get('site') ?? '',
  sector: link.get('sector') ?? '',
  period: link.get('period') ?? '',
  pad_id: link.get('pad') ?? '',
  mosaic_type: 'optical'
})
const tilejson = (await (await fetch(`../api/tiles/tilejson.json?${query}`)).json()) as TileJson
const { tiles, bounds, minzoom, maxzoom } = tilejson
const map = new maplibregl.Map({
  container: 'map',
  bounds,
  fitBoundsOptions: { padding: 24 },
  attributionControl: false,
  style: {
    version: 8,
    sources: { optical: { type: 'raster', tiles, tileSize: 256, bounds, minzoom, maxzoom } },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#20252b' } },
      { id: 'optical', type: 'raster', source: 'optical', paint: { 'raster-fade-duration': 0 } }
    ]
  }
})
let marked = false
map.on('data', (e: MapDataEvent & { tile?: unknown }) => {
  if (marked || e.dataType !== 'source' || !e.tile) return
  marked = true
  void map.once('render', () => performance.mark('thermal-viewer:first-tile'))
})
