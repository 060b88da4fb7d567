import { useEffect, useState } from 'react'
import { ApiFailure } from './api.js'

export interface Loaded<T> {
  data?: T
  error?: ApiFailure
  loading: boolean
}

/**
 * The result of `load` for `key`, loaded again whenever the key changes (null: nothing
 * to load). A result that arrives after the key moved on is dropped.
 */
export function useLoad<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  // What arrived, for which key: a key with nothing arrived yet is loading.
  const [state, setState] = useState<{ key: string; data?: T; error?: ApiFailure }>()
  useEffect(() => {
    if (key === null) return
    const controller = new AbortController()
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ key, data })
      },
      (err: unknown) => {
        if (controller.signal.aborted) return
        const error = err instanceof ApiFailure ? err : new ApiFailure(0, err instanceof Error ? err.message : String(err))
        setState({ key, error })
      }
    )
    return () => controller.abort()
    // `load` is a fresh closure on every render; the key says when it means something new.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])
  if (key === null) return { loading: false }
  if (state?.key !== key) return { loading: true }
  return { data: state.data, error: state.error, loading: false }
}
