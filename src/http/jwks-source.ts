import { createLocalJWKSet, errors as joseErrors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose'

/** The key set could not be had: a token checked against it might be valid, so this is never a 401. */
export class IdentityProviderUnavailable extends Error {
  override name = 'IdentityProviderUnavailable'
}

export interface JwksSourceOptions {
  url: string
  /** A key set this old is refetched on the next request. */
  maxAgeMs: number
  /** While refreshes fail, the last good key set keeps serving until it is this old; then 503. */
  maxStaleMs: number
  /** Least time between refetches caused by a token naming an unknown `kid`. */
  cooldownMs: number
  /** After a failed fetch, none is tried for this long: a storm of requests costs one fetch per window. */
  failureCacheMs: number
  timeoutMs: number
  now?: () => number
}

function isKeySet(value: unknown): value is JSONWebKeySet {
  return typeof value === 'object' && value !== null && Array.isArray((value as { keys?: unknown }).keys)
}

/**
 * The identity provider's JWKS, fetched by us rather than by jose's remote
 * key set, which reports a 500, a redirect or garbage exactly as it reports a
 * forged token. Every way a fetch can fail becomes IdentityProviderUnavailable.
 */
export class JwksSource {
  private good?: { at: number; keys: JWTVerifyGetKey }
  private lastFetchAt = Number.NEGATIVE_INFINITY
  private failedAt = Number.NEGATIVE_INFINITY
  private inflight?: Promise<JWTVerifyGetKey>
  private readonly now: () => number
  /** Fetches attempted, for tests and logs. */
  fetches = 0

  constructor(private readonly opts: JwksSourceOptions) {
    this.now = opts.now ?? Date.now
  }

  /** What jwtVerify calls to find the key for a token. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    const keys = await this.current()
    try {
      return await keys(header, token)
    } catch (err) {
      if (!(err instanceof joseErrors.JWKSNoMatchingKey)) throw err
      // The newest fetch failed: the key may be one we have not been able to see.
      if (this.failedAt > (this.good?.at ?? Number.NEGATIVE_INFINITY)) throw new IdentityProviderUnavailable('JWKS refresh failing')
      // An unknown kid is how a key rotation shows; refetch for it at most once per cooldown.
      if (this.now() - this.lastFetchAt < this.opts.cooldownMs) throw err
      return (await this.refresh())(header, token)
    }
  }

  private async current(): Promise<JWTVerifyGetKey> {
    const good = this.good
    if (good && this.now() - good.at < this.opts.maxAgeMs) return good.keys
    try {
      return await this.refresh()
    } catch (err) {
      if (good && this.now() - good.at < this.opts.maxStaleMs) return good.keys
      throw err
    }
  }

  private refresh(): Promise<JWTVerifyGetKey> {
    if (this.inflight) return this.inflight
    if (this.now() - this.failedAt < this.opts.failureCacheMs) {
      return Promise.reject(new IdentityProviderUnavailable('JWKS fetch failed recently'))
    }
    this.inflight = this.fetchKeys()
      .then(
        (keys) => {
          this.good = { at: this.now(), keys }
          return keys
        },
        (err: unknown) => {
          this.failedAt = this.now()
          throw new IdentityProviderUnavailable('JWKS fetch failed', { cause: err })
        }
      )
      .finally(() => {
        this.inflight = undefined
      })
    return this.inflight
  }

  private async fetchKeys(): Promise<JWTVerifyGetKey> {
    this.fetches++
    this.lastFetchAt = this.now()
    // A redirect is refused rather than followed: the key set comes from the configured URL or not at all.
    const res = await fetch(this.opts.url, {
      redirect: 'manual',
      signal: AbortSignal.timeout(this.opts.timeoutMs),
      headers: { accept: 'application/json' }
    })
    if (res.status !== 200) {
      await res.body?.cancel()
      throw new Error(`JWKS answered HTTP ${res.status}`)
    }
    const body: unknown = await res.json()
    if (!isKeySet(body) || body.keys.length === 0) throw new Error('JWKS response holds no keys')
    return createLocalJWKSet(body)
  }
}
