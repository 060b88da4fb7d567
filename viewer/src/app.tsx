import { useCallback, useEffect, useId, useMemo, useState } from 'react'
import type { Severity } from '@thermal-viewer/client'
import { createApi, unwrap, type Credential } from './api.js'
import { ErrorMessage, Panel } from './common.js'
import { formatC, TEMPERATURE_RAMP_CSS } from './colours.js'
import type { ViewerConfig } from './config.js'
import { Hotspots, type HotspotScope } from './hotspots.js'
import { ImagePanel } from './image-panel.js'
import { LineLoss } from './line-loss.js'
import { MapView, type Focus, type Overlays } from './map-view.js'
import { Picker, unknownPart, withDefaults } from './picker.js'
import { SignIn } from './sign-in.js'
import { SurveySummary } from './survey-summary.js'
import { TrendChart } from './trend-chart.js'
import { formatView, parseView, THERMAL_LAYERS, type ThermalLayer, type ViewState } from './url-state.js'
import { useLoad } from './use-load.js'

const LAYER_NAMES: Record<ThermalLayer, string> = { medical: 'medical', hotspot_alert: 'hotspot alert', none: 'none (optical only)' }

export function App({ config }: { config: ViewerConfig }) {
  const [unauthorized, setUnauthorized] = useState(false)
  const [api] = useState(() => createApi(config.apiBaseUrl, () => setUnauthorized(true)))
  const [credential, setCredential] = useState<Credential | null>(api.credential)
  // Bumped on sign-in, so every load runs again with the credential.
  const [epoch, setEpoch] = useState(0)

  const [urlView, setView] = useState<ViewState>(() => parseView(window.location.search))
  useEffect(() => {
    const onPop = () => setView(parseView(window.location.search))
    window.addEventListener('popstate', onPop)
    return () => window.removeEventListener('popstate', onPop)
  }, [])
  const navigate = useCallback((next: ViewState, replace = false) => {
    const url = `${window.location.pathname}${formatView(next)}`
    if (replace) window.history.replaceState(null, '', url)
    else window.history.pushState(null, '', url)
    setView(next)
  }, [])

  const [phone] = useState(() => window.matchMedia('(max-width: 720px)').matches)
  const [overlays, setOverlays] = useState<Overlays>({ pads: true, cameras: true, hotspots: true, regions: true })
  const [scope, setScope] = useState<HotspotScope>('pad')
  const [minSeverity, setMinSeverity] = useState<Severity>()
  const [focus, setFocus] = useState<Focus>()
  const ids = { opacity: useId(), layers: useId() }

  const catalog = useLoad(`${epoch}/catalog`, async (signal) => unwrap(await api.client.GET('/api/catalog', { signal })))
  // What the URL leaves out is the catalog's first survey; what it names and the catalog does not know is said so.
  const view = catalog.data ? withDefaults(catalog.data, urlView) : urlView
  const unknown = catalog.data ? unknownPart(catalog.data, view) : undefined
  const search = formatView(view)
  useEffect(() => {
    if (search !== window.location.search) window.history.replaceState(null, '', `${window.location.pathname}${search}`)
  }, [search])

  // A deep link loads the pad at once, beside the catalog, which may still find it unknown.
  const ready = !!(view.site && view.sector && view.period && view.pad) && !catalog.error && unknown === undefined
  const survey = { site: view.site ?? '', sector: view.sector ?? '', period: view.period ?? '' }
  const padQuery = { ...survey, pad_id: view.pad ?? '' }
  const surveyKey = ready ? `${epoch}/${survey.site}/${survey.sector}/${survey.period}` : null
  const padKey = ready ? `${surveyKey}/${view.pad}` : null
  const { client, geo } = api

  const optical = useLoad(padKey && `${padKey}/tilejson/optical`, async (signal) =>
    unwrap(await client.GET('/api/tiles/tilejson.json', { params: { query: { ...padQuery, mosaic_type: 'optical' } }, signal }))
  )
  const layer = view.layer
  const thermal = useLoad(padKey && layer !== 'none' ? `${padKey}/tilejson/${layer}` : null, async (signal) =>
    unwrap(
      await client.GET('/api/tiles/tilejson.json', {
        params: { query: { ...padQuery, mosaic_type: layer === 'none' ? undefined : layer } },
        signal
      })
    )
  )
  const pads = useLoad(surveyKey && `${surveyKey}/pads`, async (signal) =>
    unwrap(await geo.GET('/api/pads', { params: { query: { ...survey, format: 'geojson' } }, signal }))
  )
  const cameras = useLoad(padKey && `${padKey}/cameras`, async (signal) =>
    unwrap(await client.GET('/api/mosaic/cameras', { params: { query: padQuery }, signal }))
  )
  const padHotspots = useLoad(padKey && `${padKey}/hotspots`, async (signal) =>
    unwrap(await client.GET('/api/hotspots', { params: { query: padQuery }, signal }))
  )
  const listIsPad = scope === 'pad' && minSeverity === undefined
  const otherHotspots = useLoad(
    !listIsPad && surveyKey ? `${surveyKey}/hotspots/${scope}/${view.pad}/${minSeverity ?? ''}` : null,
    async (signal) =>
      unwrap(
        await client.GET('/api/hotspots', {
          params: { query: { ...survey, pad_id: scope === 'pad' ? view.pad : undefined, min_severity: minSeverity } },
          signal
        })
      )
  )
  const trend = useLoad(padKey && `${epoch}/trend/${survey.site}/${survey.sector}/${view.pad}`, async (signal) =>
    unwrap(await client.GET('/api/trend', { params: { query: { site: survey.site, sector: survey.sector, pad_id: view.pad! } }, signal }))
  )
  const measurements = useLoad(surveyKey && `${surveyKey}/measurements`, async (signal) =>
    unwrap(await client.GET('/api/pipemeasure/measurements/{site}/{sector}/{period}', { params: { path: survey }, signal }))
  )
  // The line-loss GeoJSON and the reports exist only where PipeMeasure measured: asked for then, not answered 404.
  const measured = !!padKey && !!measurements.data?.measurements.some((m) => m.pad_id === view.pad)
  const regions = useLoad(measured ? `${padKey}/regions` : null, async (signal) =>
    unwrap(
      await geo.GET('/api/pipemeasure/measurement/{site}/{sector}/{period}/{pad_id}', {
        params: { path: padQuery, query: { format: 'geojson' } },
        signal
      })
    )
  )
  const reports = useLoad(surveyKey && measurements.data?.count ? `${surveyKey}/reports` : null, async (signal) =>
    unwrap(await client.GET('/api/report/{site}/{sector}/{period}', { params: { path: survey }, signal }))
  )
  const summary = useLoad(surveyKey && `${surveyKey}/summary`, async (signal) =>
    unwrap(await client.GET('/api/survey/summary', { params: { query: survey }, signal }))
  )
  // The legend: the colour bar and the survey's temperature range, from the pad's hottest image.
  const hottest = padHotspots.data?.hotspots[0]?.image_id
  const legendBar = useLoad(hottest && layer !== 'none' ? `${epoch}/colorbar/${hottest}/${layer}` : null, async (signal) =>
    unwrap(
      await client.GET('/api/thermal/{image_id}', {
        params: { path: { image_id: hottest! }, query: { palette: layer === 'none' ? undefined : layer } },
        signal
      })
    )
  )
  const legendStats = useLoad(hottest ? `${epoch}/stats/${hottest}` : null, async (signal) =>
    unwrap(await client.GET('/api/thermal/{image_id}/stats', { params: { path: { image_id: hottest! } }, signal }))
  )

  const mosaic = useMemo(
    () => (optical.data ? { tilejson: optical.data, tiles: api.tiles({ ...padQuery, mosaic_type: 'optical' }) } : undefined),
    // The tile JSON object changes exactly when the pad does.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [optical.data]
  )
  const thermalMosaic = useMemo(
    () =>
      thermal.data && layer !== 'none' ? { tilejson: thermal.data, tiles: api.tiles({ ...padQuery, mosaic_type: layer }) } : undefined,
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [thermal.data, layer]
  )

  const selectImage = useCallback((image: string | undefined) => navigate({ ...view, image }, true), [navigate, view])
  const pickHotspot = (imageId: string, padId: string | null) => {
    if (padId && padId !== view.pad) return navigate({ ...view, pad: padId, image: imageId })
    const h = [...(padHotspots.data?.hotspots ?? []), ...(otherHotspots.data?.hotspots ?? [])].find((x) => x.image_id === imageId)
    if (h?.location) setFocus({ lon: h.location[0]!, lat: h.location[1]!, seq: Date.now() })
    selectImage(imageId)
  }

  const signIn = (next: Credential) => {
    api.setCredential(next)
    setCredential(next)
    setUnauthorized(false)
    setEpoch((n) => n + 1)
  }
  const signOut = () => {
    api.setCredential(null)
    setCredential(null)
    setEpoch((n) => n + 1)
  }

  if (unauthorized && catalog.error?.status === 401) return <SignIn onSignIn={signIn} rejected={credential !== null} />

  const camera = cameras.data?.features.find((f) => f.properties.image_id === view.image)
  const temps = (cameras.data?.features ?? []).map((f) => f.properties.temp_max).filter((t): t is number => typeof t === 'number')
  const range = legendStats.data?.dataset_temperature_range
  const mapErrors = [
    optical.error && { error: optical.error, what: 'the optical mosaic' },
    thermal.error && { error: thermal.error, what: `the ${layer} mosaic` },
    cameras.error && { error: cameras.error, what: 'the camera positions' },
    pads.error && { error: pads.error, what: 'the pad outlines' },
    padHotspots.error && { error: padHotspots.error, what: 'the hot spots' }
  ].filter((e) => !!e)

  return (
    <div className="app">
      <header className="top">
        <h1>Thermal Viewer</h1>
        {catalog.data && (
          <Picker catalog={catalog.data} view={view} onChange={(choice) => navigate({ ...view, ...choice, image: undefined })} />
        )}
        {credential && (
          <button type="button" className="sign-out" onClick={signOut}>
            Sign out
          </button>
        )}
      </header>
      {catalog.error && (
        <main className="message">
          <ErrorMessage error={catalog.error} what="the survey catalog" />
          <button type="button" onClick={() => setEpoch((n) => n + 1)}>
            Try again
          </button>
        </main>
      )}
      {catalog.loading && !ready && (
        <main className="message">
          <p role="status">Loading the survey catalog…</p>
        </main>
      )}
      {unknown && (
        <main className="message">
          <h2>Nothing to show for this link</h2>
          <p role="alert" className="error">
            {unknown}
          </p>
          <p>
            <a href={window.location.pathname}>Open the first survey</a> or pick one above.
          </p>
        </main>
      )}
      {ready && (
        <main className="layout">
          <div className="map-column">
            {mapErrors.map((e) => (
              <ErrorMessage key={e.what} error={e.error} what={e.what} />
            ))}
            <MapView
              api={api}
              basemapStyleUrl={config.basemapStyleUrl}
              padId={view.pad}
              optical={mosaic}
              mosaicPending={optical.loading}
              thermal={thermalMosaic}
              opacity={view.opacity}
              pads={pads.data}
              cameras={cameras.data}
              hotspots={padHotspots.data?.hotspots}
              regions={regions.data}
              overlays={overlays}
              selectedImage={view.image}
              focus={focus}
              onSelectImage={selectImage}
            />
            <section className="legend" aria-label="Legend">
              {layer !== 'none' && (
                <div>
                  <strong>{LAYER_NAMES[layer]}</strong>
                  {legendBar.data?.colorbar_url ? (
                    <img src={legendBar.data.colorbar_url} alt={`Colour bar of the ${LAYER_NAMES[layer]} palette`} className="legend-bar" />
                  ) : (
                    <span className="muted"> (no colour bar for this pad)</span>
                  )}
                  {range && (
                    <span className="range">
                      survey range {formatC(range.min_temp_c)} – {formatC(range.max_temp_c)}
                    </span>
                  )}
                </div>
              )}
              {temps.length > 0 && (
                <div className="ramp-key">
                  cameras by max: {formatC(Math.min(...temps))} <span className="ramp" style={{ background: TEMPERATURE_RAMP_CSS }} />{' '}
                  {formatC(Math.max(...temps))}
                </div>
              )}
            </section>
            {view.image && (
              <ImagePanel key={view.image} api={api} imageId={view.image} camera={camera} onClose={() => selectImage(undefined)} />
            )}
          </div>
          <div className="side">
            <Panel title="Layers" defaultOpen={!phone}>
              <fieldset>
                <legend>Thermal layer over the optical mosaic</legend>
                {THERMAL_LAYERS.map((l) => (
                  <label key={l} className="radio">
                    <input
                      type="radio"
                      name={ids.layers}
                      value={l}
                      checked={layer === l}
                      onChange={() => navigate({ ...view, layer: l })}
                    />{' '}
                    {LAYER_NAMES[l]}
                  </label>
                ))}
              </fieldset>
              <label htmlFor={ids.opacity}>Thermal opacity: {Math.round(view.opacity * 100)}%</label>
              <input
                id={ids.opacity}
                type="range"
                min={0}
                max={1}
                step={0.05}
                value={view.opacity}
                disabled={layer === 'none'}
                onChange={(e) => navigate({ ...view, opacity: Number(e.target.value) }, true)}
              />
              <fieldset>
                <legend>Show on the map</legend>
                {(
                  [
                    ['pads', 'Pad outlines'],
                    ['cameras', 'Camera positions'],
                    ['hotspots', 'Hot spots'],
                    ['regions', 'Line-loss regions']
                  ] as const
                ).map(([key, label]) => (
                  <label key={key} className="check">
                    <input
                      type="checkbox"
                      checked={overlays[key]}
                      onChange={(e) => setOverlays({ ...overlays, [key]: e.target.checked })}
                    />{' '}
                    {label}
                  </label>
                ))}
              </fieldset>
            </Panel>
            <Panel title="Hot spots" defaultOpen={!phone}>
              <Hotspots
                api={api}
                survey={survey}
                padId={view.pad!}
                scope={scope}
                minSeverity={minSeverity}
                onScope={setScope}
                onMinSeverity={setMinSeverity}
                list={listIsPad ? padHotspots : otherHotspots}
                selectedImage={view.image}
                onPick={pickHotspot}
              />
            </Panel>
            <Panel title="Trend across surveys" defaultOpen={!phone}>
              {trend.error && <ErrorMessage error={trend.error} what="the trend" />}
              {trend.data && <TrendChart trend={trend.data} current={view.period} />}
            </Panel>
            <Panel title="Line loss" defaultOpen={!phone}>
              <LineLoss api={api} survey={survey} padId={view.pad!} regions={regions} measurements={measurements} reports={reports} />
            </Panel>
            <Panel title="Survey summary" defaultOpen={!phone}>
              <SurveySummary
                api={api}
                survey={survey}
                padId={view.pad}
                summary={summary}
                onPad={(pad) => navigate({ ...view, pad, image: undefined })}
              />
            </Panel>
          </div>
        </main>
      )}
    </div>
  )
}
