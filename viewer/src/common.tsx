import { useId, useState, type ReactNode } from 'react'
import type { Severity } from '@thermal-viewer/client'
import { credentialHeaders, type Api, type ApiFailure } from './api.js'
import { SEVERITY_COLOURS } from './colours.js'

/** An API error where it happened: its own `{ error }` message. */
export function ErrorMessage({ error, what }: { error: ApiFailure; what: string }) {
  return (
    <p className="error" role="alert">
      Could not load {what}: {error.message}
      {error.status ? ` (HTTP ${error.status})` : ''}
    </p>
  )
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  )
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  const { fill, text } = SEVERITY_COLOURS[severity]
  return (
    <span className="badge" style={{ background: fill, color: text }}>
      {severity}
    </span>
  )
}

/** A collapsible section; on a phone the app starts them closed (their data is loaded all the same). */
export function Panel({ title, defaultOpen, children }: { title: string; defaultOpen: boolean; children: ReactNode }) {
  const [open, setOpen] = useState(defaultOpen)
  const id = useId()
  return (
    <details className="panel" open={open} onToggle={(e) => setOpen(e.currentTarget.open)} aria-labelledby={id}>
      <summary>
        <h2 id={id}>{title}</h2>
      </summary>
      {children}
    </details>
  )
}

/**
 * A download from the API. Without a credential it is a plain link; with one, the
 * file is fetched with the credential's header and saved from memory, since a link
 * cannot carry a header.
 */
export function DownloadLink({ api, href, filename, children }: { api: Api; href: string; filename: string; children: ReactNode }) {
  const [error, setError] = useState<string>()
  const onClick = async (e: React.MouseEvent<HTMLAnchorElement>) => {
    const credential = api.credential()
    if (!credential) return
    e.preventDefault()
    setError(undefined)
    const response = await fetch(href, { headers: credentialHeaders(credential) })
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { error?: string }
      setError(body.error ?? `HTTP ${response.status}`)
      return
    }
    const url = URL.createObjectURL(await response.blob())
    const a = document.createElement('a')
    a.href = url
    a.download = filename
    a.click()
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
  }
  return (
    <>
      <a href={href} download={filename} onClick={(e) => void onClick(e)}>
        {children}
      </a>
      {error && (
        <span className="error" role="alert">
          {' '}
          download failed: {error}
        </span>
      )}
    </>
  )
}
