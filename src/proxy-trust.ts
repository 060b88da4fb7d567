import { BlockList, isIP } from 'node:net'

/**
 * Which peers may tell us the client address in X-Forwarded-For: either a hop
 * count (every peer is believed that far), or the networks the load balancer
 * lives in (only a peer inside them is believed, so a client that reaches the
 * container directly cannot choose its own rate-limit bucket).
 */
export type TrustProxy = { hops: number } | { networks: string[] }

/** The private ranges an ALB lives in, and loopback (a sidecar proxy, and the tests). */
export const DEFAULT_TRUSTED_NETWORKS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '::1/128']

const HOPS = /^\d{1,2}$/

/** `2`, or `10.0.0.0/8, 192.168.1.7`; undefined when the value is neither. */
export function parseTrustProxy(value: string): TrustProxy | undefined {
  const trimmed = value.trim()
  if (HOPS.test(trimmed)) {
    const hops = Number(trimmed)
    return hops <= 10 ? { hops } : undefined
  }
  const networks = trimmed
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean)
  if (networks.length === 0) return undefined
  for (const network of networks) if (!parseNetwork(network)) return undefined
  return { networks }
}

function parseNetwork(network: string): { address: string; prefix: number; type: 'ipv4' | 'ipv6' } | undefined {
  const [address = '', prefixText, extra] = network.split('/')
  const version = isIP(address)
  if (version === 0 || extra !== undefined) return undefined
  const max = version === 4 ? 32 : 128
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined
  const prefix = prefixText === undefined ? max : Number(prefixText)
  if (prefix > max) return undefined
  return { address, prefix, type: version === 4 ? 'ipv4' : 'ipv6' }
}

/** An IPv4 address a dual-stack socket reports as `::ffff:10.0.0.1`, as IPv4. */
function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address
}

/**
 * The function Fastify's `trustProxy` calls for each address, nearest first
 * (the socket peer is hop 0). Anything that is not an IP address is never
 * trusted, so the walk stops there.
 */
export function proxyTrustFunction(trust: TrustProxy): (address: string, hop: number) => boolean {
  if ('hops' in trust) return (address, hop) => hop < trust.hops && isIP(unmapped(address)) !== 0
  const list = new BlockList()
  for (const network of trust.networks) {
    const { address, prefix, type } = parseNetwork(network)!
    list.addSubnet(address, prefix, type)
  }
  return (address) => {
    const plain = unmapped(address)
    const version = isIP(plain)
    return version !== 0 && list.check(plain, version === 4 ? 'ipv4' : 'ipv6')
  }
}

/**
 * The client address for rate limiting and logs: the first untrusted entry of
 * the chain Fastify walked (`request.ips`, nearest last). A proxy that passes
 * on something that is not an IP address is itself taken as the client, so a
 * forged entry can never become a rate-limit bucket of its own.
 */
export function clientAddress(ips: readonly string[] | undefined, fallback: string): string {
  if (!ips || ips.length === 0) return fallback
  for (let i = ips.length - 1; i >= 0; i--) {
    const candidate = unmapped(ips[i]!.trim())
    if (isIP(candidate) !== 0) return candidate
  }
  return fallback
}
