import { S3Client } from '@aws-sdk/client-s3'
import type { AwsCredentialIdentity } from '@smithy/types'

/**
 * The S3 client a presigned URL is signed with, for the host name the client reached
 * this server by. Signing is local: these clients never send anything.
 */
export type SignerFor = (host: string | undefined) => S3Client

/** A host name as a client may send it: DNS labels, or a bracketed IPv6 address. Anything else is not put in a URL. */
const HOSTNAME =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]{2,45}\])$/
/** Distinct hosts kept at once; the oldest goes first. A handful in practice (an IP, a DNS name). */
const MAX_HOSTS = 16

export interface EmbeddedSignerOptions {
  region: string
  credentials: AwsCredentialIdentity
  /** The emulator's port, which browsers reach on the host they reached this server on. */
  s3Port: number
  /** EMBEDDED_S3_PUBLIC_URL: every URL points here, whatever the request's host. */
  publicUrl?: string
  /** For a request whose host cannot be used. */
  fallback: S3Client
}

/**
 * Presigning for the embedded S3 when browsers on other machines must open the URLs:
 * at EMBEDDED_S3_PUBLIC_URL when it is set, else at the request's host with the
 * emulator's port.
 */
export function embeddedSigners(opts: EmbeddedSignerOptions): { signerFor: SignerFor; destroy(): void } {
  const make = (endpoint: string) => new S3Client({ region: opts.region, endpoint, forcePathStyle: true, credentials: opts.credentials })
  if (opts.publicUrl) {
    const client = make(opts.publicUrl)
    return { signerFor: () => client, destroy: () => client.destroy() }
  }
  const byHost = new Map<string, S3Client>()
  return {
    signerFor(host) {
      if (!host || !HOSTNAME.test(host)) return opts.fallback
      let client = byHost.get(host)
      if (!client) {
        if (byHost.size >= MAX_HOSTS) {
          const [oldest, evicted] = byHost.entries().next().value!
          byHost.delete(oldest)
          evicted.destroy()
        }
        client = make(`http://${host}:${opts.s3Port}`)
        byHost.set(host, client)
      }
      return client
    },
    destroy() {
      for (const client of byHost.values()) client.destroy()
      byHost.clear()
    }
  }
}

/** Whether a listen address is reachable from this machine only. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host)
}
