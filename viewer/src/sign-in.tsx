import { useId, useState, type FormEvent } from 'react'
import type { Credential } from './api.js'

/** Asked for when the API answers 401: an API key (AUTH_MODE=api-key) or a bearer token (jwt), kept for this tab only. */
export function SignIn({ onSignIn, rejected }: { onSignIn: (credential: Credential) => void; rejected: boolean }) {
  const [kind, setKind] = useState<Credential['kind']>('api-key')
  const [value, setValue] = useState('')
  const ids = { kind: useId(), value: useId(), heading: useId() }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (value.trim()) onSignIn({ kind, value: value.trim() })
  }
  return (
    <main className="sign-in" aria-labelledby={ids.heading}>
      <form onSubmit={submit}>
        <h1 id={ids.heading}>Sign in to the Thermal Viewer</h1>
        <p>This API needs a credential. It is kept in this browser tab only, and sent with every request.</p>
        {rejected && (
          <p className="error" role="alert">
            The API refused that credential; check it and try again.
          </p>
        )}
        <label htmlFor={ids.kind}>Credential</label>
        <select id={ids.kind} value={kind} onChange={(e) => setKind(e.target.value as Credential['kind'])}>
          <option value="api-key">API key (X-API-Key)</option>
          <option value="bearer">Bearer token (JWT)</option>
        </select>
        <label htmlFor={ids.value}>{kind === 'api-key' ? 'API key' : 'Token'}</label>
        <input id={ids.value} type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} required />
        <button type="submit">Sign in</button>
      </form>
    </main>
  )
}
