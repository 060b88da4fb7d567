import { useEffect, useRef, useState } from 'react'
import maplibregl, {
  type GeoJSONSource,
  type LngLatBoundsLike,
  type RasterLayerSpecification,
  type RasterSourceSpecification,
  type StyleSpecification
} from 'maplibre-gl'
import 'maplibre-gl/dist/maplibre-gl.css'
import type { CameraCollection, Hotspot, PadCollection, RegionCollection, TileJson } from '@thermal-viewer/client'
import { credentialHeaders, type Api } from './api.js'
import { SEVERITY_COLOURS, temperatureColour } from './colours.js'

export interface Overlays {
  pads: boolean
  cameras: boolean
  hotspots: boolean
  regions: boolean
}

export interface Focus {
  lon: number
  lat: number
  /** Changes on every request to fly, so the same place can be flown to twice. */
  seq: number
}

interface MosaicLayer {
  /** The tile URL template (the client's tileUrlTemplate). */
  tiles: string
  tilejson: TileJson
}

interface MapViewProps {
  api: Api
  basemapStyleUrl: string | null
  padId?: string
  optical?: MosaicLayer
  /** The optical mosaic's TileJSON is still on its way: the overlays wait for its first tile. */
  mosaicPending: boolean
  thermal?: MosaicLayer
  opacity: number
  pads?: PadCollection
  cameras?: CameraCollection
  hotspots?: readonly Hotspot[]
  regions?: RegionCollection
  overlays: Overlays
  selectedImage?: string
  focus?: Focus
  onSelectImage: (imageId: string) => void
}

/** Nothing but a dark background: the optical orthomosaic is the base layer, and no other host is asked for anything. */
const OFFLINE_STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#20252b' } }]
}

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] }
/** The first overlay layer: the mosaics go under it. */
const FIRST_OVERLAY = 'pads-fill'

const severityColour = ['match', ['get', 'severity'], ...Object.entries(SEVERITY_COLOURS).flatMap(([s, c]) => [s, c.fill]), '#9e9e9e']

function addOverlays(map: maplibregl.Map) {
  for (const id of ['pads', 'regions', 'hotspots']) map.addSource(id, { type: 'geojson', data: EMPTY })
  map.addLayer({ id: 'pads-fill', type: 'fill', source: 'pads', paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.04 } })
  map.addLayer({
    id: 'pads-line',
    type: 'line',
    source: 'pads',
    paint: {
      'line-color': ['case', ['boolean', ['get', 'current'], false], '#ffffff', '#cfd8dc'],
      'line-width': ['case', ['boolean', ['get', 'current'], false], 3, 1.5],
      'line-dasharray': [2, 1]
    }
  })
  map.addLayer({ id: 'regions-fill', type: 'fill', source: 'regions', paint: { 'fill-color': '#00e5ff', 'fill-opacity': 0.35 } })
  map.addLayer({ id: 'regions-line', type: 'line', source: 'regions', paint: { 'line-color': '#00e5ff', 'line-width': 2 } })
  map.addLayer({
    id: 'hotspots',
    type: 'circle',
    source: 'hotspots',
    paint: {
      'circle-color': severityColour as unknown as string,
      'circle-radius': ['match', ['get', 'severity'], 'critical', 9, 'serious', 8, 'moderate', 7, 6],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 1.5,
      'circle-opacity': 0.9
    }
  })
}

type MosaicId = 'optical' | 'thermal'

function rasterSource(layer: MosaicLayer): RasterSourceSpecification {
  const { bounds, minzoom, maxzoom } = layer.tilejson
  return { type: 'raster', tiles: [layer.tiles], tileSize: 256, bounds: bounds as [number, number, number, number], minzoom, maxzoom }
}

function rasterLayer(id: MosaicId, opacity: number): RasterLayerSpecification {
  return { id, type: 'raster', source: id, paint: { 'raster-opacity': id === 'thermal' ? opacity : 1, 'raster-fade-duration': 0 } }
}

function setMosaic(map: maplibregl.Map, id: MosaicId, layer: MosaicLayer | undefined, opacity: number) {
  if (map.getLayer(id)) map.removeLayer(id)
  if (map.getSource(id)) map.removeSource(id)
  if (!layer) return
  map.addSource(id, rasterSource(layer))
  const before = id === 'optical' && map.getLayer('thermal') ? 'thermal' : FIRST_OVERLAY
  map.addLayer(rasterLayer(id, opacity), before)
}

/**
 * The style the map starts with: the mosaics already in it when their TileJSON came first, so the first frame asks
 * for tiles. A basemap is a style of its own, which the mosaics are added to once it has loaded.
 */
function initialStyle(
  basemap: string | null,
  mosaics: Partial<Record<MosaicId, MosaicLayer>>,
  opacity: number
): string | StyleSpecification {
  if (basemap) return basemap
  const ids = (['optical', 'thermal'] as const).filter((id) => mosaics[id])
  return {
    ...OFFLINE_STYLE,
    sources: Object.fromEntries(ids.map((id) => [id, rasterSource(mosaics[id]!)])),
    layers: [...OFFLINE_STYLE.layers, ...ids.map((id) => rasterLayer(id, opacity))]
  }
}

/** A camera: a button that opens its image, or, for a shot with no image record, a picture that says so. */
function cameraMarker(interactive: boolean): HTMLElement {
  const button = document.createElement(interactive ? 'button' : 'span')
  if (button instanceof HTMLButtonElement) button.type = 'button'
  else button.setAttribute('role', 'img')
  button.className = 'camera-marker'
  button.innerHTML =
    '<svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false"><path d="M10 1 L17 18 L10 13.5 L3 18 Z" stroke="#111" stroke-width="1.2" stroke-linejoin="round"/></svg>'
  return button
}

const reducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches

/** The map: MapLibre with the pad's mosaics, outlines, cameras, hot spots and line-loss regions. */
export function MapView(props: MapViewProps) {
  const container = useRef<HTMLDivElement>(null)
  const markers = useRef(new Map<string, { marker: maplibregl.Marker; button: HTMLElement }>())
  const onSelect = useRef(props.onSelectImage)
  // The mosaics on the map, to tell a new one from the one the map was made with.
  const shown = useRef<Partial<Record<MosaicId, MosaicLayer>>>({})
  // The map is set once its style has loaded: the effects below apply their inputs to it from then on.
  const [map, setMap] = useState<maplibregl.Map | null>(null)
  const [loading, setLoading] = useState(false)
  // The overlays (outlines, cameras, hot spots, regions) go on once a mosaic tile is drawn, or the mosaic has settled
  // without one: each of them costs frames, and in the first second the frames belong to the tiles.
  const [tilesFirst, setTilesFirst] = useState(true)
  const overlayMap = tilesFirst && (props.mosaicPending || props.optical) ? null : map
  const { api, overlays } = props

  useEffect(() => {
    onSelect.current = props.onSelectImage
  }, [props.onSelectImage])

  // Made once the optical mosaic's TileJSON has answered (or failed), with the mosaics in its first style.
  const makeMap = !props.mosaicPending
  const made = useRef<maplibregl.Map | null>(null)
  useEffect(
    () => () => {
      made.current?.remove()
      made.current = null
    },
    []
  )
  useEffect(() => {
    if (!makeMap || made.current) return
    const mosaics = props.basemapStyleUrl ? {} : { optical: props.optical, thermal: props.thermal }
    shown.current = mosaics
    const bounds = props.optical?.tilejson.bounds as LngLatBoundsLike | undefined
    const map = new maplibregl.Map({
      container: container.current!,
      style: initialStyle(props.basemapStyleUrl, mosaics, props.opacity),
      ...(bounds ? { bounds, fitBoundsOptions: { padding: 24 } } : { center: [0, 0] as [number, number], zoom: 1 }),
      maxZoom: 24,
      attributionControl: false,
      transformRequest: (url) => (url.startsWith(api.baseUrl) ? { url, headers: credentialHeaders(api.credential()) } : { url })
    })
    map.addControl(new maplibregl.NavigationControl({ visualizePitch: false }), 'top-right')
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left')
    map.on('load', () => {
      addOverlays(map)
      map.on('click', 'hotspots', (e) => {
        const id = e.features?.[0]?.properties?.image_id as unknown
        if (typeof id === 'string') onSelect.current(id)
      })
      map.on('mouseenter', 'hotspots', () => (map.getCanvas().style.cursor = 'pointer'))
      map.on('mouseleave', 'hotspots', () => (map.getCanvas().style.cursor = ''))
      setMap(map)
    })
    map.on('dataloading', () => setLoading(true))
    map.on('idle', () => setLoading(false))
    // The first mosaic tile on screen, for bench/first-tile.ts: the frame after the first tile arrived.
    let marked = false
    map.on('data', (e: maplibregl.MapDataEvent & { tile?: unknown; sourceId?: string }) => {
      if (marked || e.dataType !== 'source' || !e.tile || (e.sourceId !== 'optical' && e.sourceId !== 'thermal')) return
      marked = true
      void map.once('render', () => {
        performance.mark('thermal-viewer:first-tile')
        setTilesFirst(false)
      })
    })
    // Every tile failed, or none was needed: the overlays need not wait for one.
    if (mosaics.optical) void map.once('idle', () => setTilesFirst(false))
    made.current = map
    // The map lives as long as the component (removed above); its later inputs are applied by the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [makeMap])

  useEffect(() => {
    if (!map || shown.current.optical === props.optical) return
    shown.current.optical = props.optical
    setMosaic(map, 'optical', props.optical, 1)
    if (!props.optical) return
    map.fitBounds(props.optical.tilejson.bounds as LngLatBoundsLike, { padding: 24, animate: false })
    // Every tile failed, or none was needed: the overlays need not wait for one.
    void map.once('idle', () => setTilesFirst(false))
  }, [map, props.optical])

  useEffect(() => {
    if (!map || shown.current.thermal === props.thermal) return
    shown.current.thermal = props.thermal
    setMosaic(map, 'thermal', props.thermal, props.opacity)
    // Opacity alone is applied below, without reloading the tiles.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [map, props.thermal])

  useEffect(() => {
    if (map?.getLayer('thermal')) map.setPaintProperty('thermal', 'raster-opacity', props.opacity)
  }, [map, props.opacity])

  useEffect(() => {
    if (!overlayMap) return
    const features = (props.pads?.features ?? []).flatMap((f) =>
      f.geometry
        ? [
            {
              type: 'Feature' as const,
              geometry: f.geometry,
              properties: { ...f.properties, current: f.properties.pad_id === props.padId }
            }
          ]
        : []
    )
    ;(overlayMap.getSource('pads') as GeoJSONSource).setData({ type: 'FeatureCollection', features })
  }, [overlayMap, props.pads, props.padId])

  useEffect(() => {
    if (overlayMap) (overlayMap.getSource('regions') as GeoJSONSource).setData(props.regions ?? EMPTY)
  }, [overlayMap, props.regions])

  useEffect(() => {
    if (!overlayMap) return
    const features = (props.hotspots ?? []).flatMap((h) =>
      h.location
        ? [
            {
              type: 'Feature' as const,
              geometry: { type: 'Point' as const, coordinates: h.location.slice(0, 2) },
              properties: { image_id: h.image_id, severity: h.severity }
            }
          ]
        : []
    )
    ;(overlayMap.getSource('hotspots') as GeoJSONSource).setData({ type: 'FeatureCollection', features })
  }, [overlayMap, props.hotspots])

  useEffect(() => {
    if (!overlayMap) return
    const show = (ids: string[], on: boolean) =>
      ids.forEach((id) => overlayMap.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none'))
    show(['pads-fill', 'pads-line'], overlays.pads)
    show(['regions-fill', 'regions-line'], overlays.regions)
    show(['hotspots'], overlays.hotspots)
    for (const { button } of markers.current.values()) button.hidden = !overlays.cameras
  }, [overlayMap, overlays])

  // Camera markers: buttons (so keyboard users reach them), pointing along the camera's heading.
  useEffect(() => {
    if (!overlayMap) return
    const features = props.cameras?.features ?? []
    const temps = features.map((f) => f.properties.temp_max).filter((t): t is number => typeof t === 'number')
    const [min, max] = [Math.min(...temps), Math.max(...temps)]
    const created = new Map<string, { marker: maplibregl.Marker; button: HTMLElement }>()
    for (const feature of features) {
      const { image_id: id, filename, temp_max: tempMax, yaw } = feature.properties
      const button = cameraMarker(id !== null)
      button.querySelector('path')!.setAttribute('fill', temperatureColour(tempMax, min, max))
      const heading = yaw === null ? 'heading unknown' : `heading ${Math.round(((yaw % 360) + 360) % 360)}°`
      const image = id === null ? ', no image record' : ''
      button.setAttribute('aria-label', `Camera ${filename}: max ${tempMax ?? '–'} °C, ${heading}${image}`)
      button.hidden = !overlays.cameras
      if (id !== null) {
        button.dataset.imageId = id
        button.addEventListener('click', (e) => {
          e.stopPropagation()
          onSelect.current(id)
        })
      }
      const [lon, lat] = feature.geometry.coordinates
      const marker = new maplibregl.Marker({ element: button, rotation: yaw ?? 0, rotationAlignment: 'map' })
        .setLngLat([lon!, lat!])
        .addTo(overlayMap)
      created.set(id ?? `file:${filename}`, { marker, button })
    }
    markers.current = created
    return () => {
      for (const { marker } of created.values()) marker.remove()
    }
    // Visibility is applied by the overlays effect; here only when markers are made.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [overlayMap, props.cameras])

  useEffect(() => {
    for (const [id, { button }] of markers.current) {
      if (!(button instanceof HTMLButtonElement)) continue
      const selected = id === props.selectedImage
      button.setAttribute('aria-pressed', String(selected))
      button.classList.toggle('selected', selected)
    }
  }, [props.selectedImage, props.cameras, map])

  useEffect(() => {
    if (!map || !props.focus) return
    const { lon, lat } = props.focus
    const target = { center: [lon, lat] as [number, number], zoom: Math.max(map.getZoom(), 20) }
    if (reducedMotion()) map.jumpTo(target)
    else map.flyTo({ ...target, duration: 800 })
  }, [map, props.focus])

  return (
    <div className="map-wrap">
      <div ref={container} className="map" role="region" aria-label="Map of the pad" />
      <div className={loading ? 'map-loading' : 'visually-hidden'} role="status" data-loading={loading}>
        {loading ? (
          <>
            <span className="spinner" aria-hidden="true" /> Loading tiles…
          </>
        ) : (
          'Map loaded'
        )}
      </div>
    </div>
  )
}
