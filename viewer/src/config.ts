/** What the app is told about where it runs: by the API in index.html's meta tag, else at build time. */
export interface ViewerConfig {
  /** Absolute URL the API is mounted at, without a trailing slash. */
  apiBaseUrl: string
  /** A MapLibre style drawn under the orthomosaics; none by default (no request to any other host). */
  basemapStyleUrl: string | null
}

interface RawConfig {
  apiBaseUrl?: unknown
  basemapStyleUrl?: unknown
}

function metaConfig(): RawConfig {
  const content = document.querySelector('meta[name="thermal-viewer-config"]')?.getAttribute('content')
  if (!content) return {}
  try {
    const parsed: unknown = JSON.parse(content)
    return typeof parsed === 'object' && parsed !== null ? parsed : {}
  } catch {
    return {}
  }
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined)

export function readConfig(): ViewerConfig {
  const raw = metaConfig()
  const env = import.meta.env as Record<string, string | undefined>
  // '' (the API at the root of this origin) is a real value, so only an absent key falls back.
  const base = typeof raw.apiBaseUrl === 'string' ? raw.apiBaseUrl : (env.VITE_API_BASE_URL ?? '')
  const absolute = new URL(base === '' ? '/' : base, window.location.href).href.replace(/\/+$/, '')
  return {
    apiBaseUrl: absolute,
    basemapStyleUrl: text(raw.basemapStyleUrl) ?? text(env.VITE_BASEMAP_STYLE_URL) ?? null
  }
}
