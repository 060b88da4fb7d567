import { useEffect, useId, useRef, useState } from 'react'
import type { CameraFeature } from '@thermal-viewer/client'
import { unwrap, type Api } from './api.js'
import { ErrorMessage, Loading } from './common.js'
import { formatC } from './colours.js'
import { useLoad } from './use-load.js'

type Palette = 'medical' | 'hotspot_alert'

/** Units of the radiometric parameters DJI's SDK takes. */
const PARAM_UNITS: Readonly<Record<string, string>> = { distance: ' m', reflection: ' °C', ambient_temp: ' °C', humidity: ' %' }

interface ImagePanelProps {
  api: Api
  imageId: string
  camera?: CameraFeature
  onClose: () => void
}

/** One camera's photos (optical and thermal, presigned), its colour bar, statistics and position. */
export function ImagePanel({ api, imageId, camera, onClose }: ImagePanelProps) {
  const [palette, setPalette] = useState<Palette>('medical')
  const headingRef = useRef<HTMLHeadingElement>(null)
  const headingId = useId()
  const paletteName = useId()
  const path = { path: { image_id: imageId } }
  const optical = useLoad(`optical/${imageId}`, async (signal) =>
    unwrap(await api.client.GET('/api/optical/{image_id}', { params: path, signal }))
  )
  const thermal = useLoad(`thermal/${imageId}/${palette}`, async (signal) =>
    unwrap(await api.client.GET('/api/thermal/{image_id}', { params: { ...path, query: { palette } }, signal }))
  )
  const stats = useLoad(`stats/${imageId}`, async (signal) =>
    unwrap(await api.client.GET('/api/thermal/{image_id}/stats', { params: path, signal }))
  )

  useEffect(() => headingRef.current?.focus(), [imageId])

  const props = camera?.properties
  const [lon, lat] = camera?.geometry.coordinates ?? []
  const s = stats.data
  return (
    <aside className="image-panel" aria-labelledby={headingId}>
      <div className="image-panel-head">
        <h2 id={headingId} ref={headingRef} tabIndex={-1}>
          Image {imageId}
        </h2>
        <button type="button" onClick={onClose} aria-label="Close the image panel">
          ✕
        </button>
      </div>
      {props && <p className="muted">{props.filename}</p>}
      <div className="photos">
        <figure>
          {optical.error && <ErrorMessage error={optical.error} what="the optical image" />}
          {optical.data && (
            <img src={optical.data.url} alt={`Optical photo ${imageId}`} className="photo optical-photo" width={640} height={512} />
          )}
          <figcaption>Optical</figcaption>
        </figure>
        <figure>
          {thermal.error && <ErrorMessage error={thermal.error} what="the thermal image" />}
          {thermal.data && (
            <img
              src={thermal.data.url}
              alt={`Thermal image ${imageId}, ${palette} palette`}
              className="photo thermal-photo"
              width={640}
              height={512}
            />
          )}
          <figcaption>Thermal ({palette})</figcaption>
        </figure>
      </div>
      <fieldset className="palette">
        <legend>Palette</legend>
        {(['medical', 'hotspot_alert'] as const).map((p) => (
          <label key={p}>
            <input type="radio" name={paletteName} value={p} checked={palette === p} onChange={() => setPalette(p)} /> {p}
          </label>
        ))}
      </fieldset>
      {thermal.data?.colorbar_url && (
        <img src={thermal.data.colorbar_url} alt={`Colour bar of the ${palette} palette`} className="colorbar" />
      )}
      {stats.loading && <Loading what="statistics" />}
      {stats.error && <ErrorMessage error={stats.error} what="the statistics" />}
      {s && (
        <table className="data stats-table">
          <caption>Thermal statistics</caption>
          <tbody>
            <tr>
              <th scope="row">Min</th>
              <td data-stat="min_temp">{formatC(s.min_temp)}</td>
            </tr>
            <tr>
              <th scope="row">Max</th>
              <td data-stat="max_temp">{formatC(s.max_temp)}</td>
            </tr>
            <tr>
              <th scope="row">Mean</th>
              <td data-stat="avg_temp">{formatC(s.avg_temp, 2)}</td>
            </tr>
            <tr>
              <th scope="row">Calibrated</th>
              <td data-stat="is_calibrated">{s.is_calibrated ? 'yes' : 'no'}</td>
            </tr>
            {Object.entries(s.calibration_params ?? {}).map(([name, value]) => (
              <tr key={name}>
                <th scope="row">{name.replace(/_/g, ' ')}</th>
                <td>
                  {String(value)}
                  {PARAM_UNITS[name] ?? ''}
                </td>
              </tr>
            ))}
            {s.dataset_temperature_range && (
              <tr>
                <th scope="row">Survey range</th>
                <td>
                  {formatC(s.dataset_temperature_range.min_temp_c)} – {formatC(s.dataset_temperature_range.max_temp_c)}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      {props && (
        <table className="data position-table">
          <caption>Position</caption>
          <tbody>
            <tr>
              <th scope="row">Longitude, latitude</th>
              <td>
                {lon?.toFixed(6)}, {lat?.toFixed(6)}
              </td>
            </tr>
            <tr>
              <th scope="row">Altitude</th>
              <td>{props.altitude === null ? '–' : `${props.altitude} m`}</td>
            </tr>
            <tr>
              <th scope="row">Heading (yaw)</th>
              <td>{props.yaw === null ? '–' : `${props.yaw.toFixed(1)}°`}</td>
            </tr>
          </tbody>
        </table>
      )}
    </aside>
  )
}
