import type { ServiceCaches } from '../cache/service-caches.js'
import type { PresignedUrl } from '../../schemas/common.js'
import type { BucketStore } from '../data/bucket-store.js'

/**
 * Presigned GET URLs, reused while more than half their life is left: a client
 * that receives a cached URL (or keeps it for the response's max-age) still has at
 * least half of PRESIGN_EXPIRES_SECONDS to use it. Reuse also makes the response
 * identical, so its ETag answers `If-None-Match` with a 304.
 */
export class CachedPresigner {
  constructor(
    private readonly store: BucketStore,
    private readonly caches: ServiceCaches,
    private readonly expiresSeconds: number,
    private readonly now: () => number = Date.now
  ) {}

  presign(key: string): Promise<PresignedUrl> {
    return this.caches.presigned.get(key, () => this.store.presign(key), (p) => this.halfLifeLeftMs(p))
  }

  /** Time until the URL has lived half its life (the entry's TTL; ≤ 0 means "do not keep"). */
  private halfLifeLeftMs(p: PresignedUrl): number {
    const lifeMs = this.expiresSeconds * 1000
    const issuedAt = Date.parse(p.expires_at) - lifeMs
    return issuedAt + lifeMs / 2 - this.now()
  }
}
