import t from 'tap'
import { clientAddress, DEFAULT_TRUSTED_NETWORKS, parseTrustProxy, proxyTrustFunction } from '../../src/proxy-trust.js'

t.test('networks: only peers inside them are believed, IPv4-mapped addresses included; non-IP never', async (t) => {
  const trust = proxyTrustFunction({ networks: DEFAULT_TRUSTED_NETWORKS })
  for (const ip of ['10.1.2.3', '172.31.255.1', '192.168.0.9', '127.0.0.1', '::1', '::ffff:10.0.0.1']) t.ok(trust(ip, 0), ip)
  for (const ip of ['203.0.113.9', '172.32.0.1', '11.0.0.1', '::ffff:8.8.8.8', 'fe80::1', 'garbage', '', '10.0.0.1, 10.0.0.2']) {
    t.notOk(trust(ip, 0), JSON.stringify(ip))
  }
})

t.test('hops: as many as configured, and never a non-IP entry', async (t) => {
  const trust = proxyTrustFunction({ hops: 1 })
  t.ok(trust('203.0.113.9', 0))
  t.notOk(trust('203.0.113.9', 1))
  t.notOk(trust('junk', 0))
  t.notOk(proxyTrustFunction({ hops: 0 })('10.0.0.1', 0))
})

t.test('clientAddress: the first untrusted IP, or the proxy that passed on garbage', async (t) => {
  t.equal(clientAddress(['10.0.0.5', '198.51.100.7'], 'x'), '198.51.100.7')
  t.equal(clientAddress(['10.0.0.5', 'not-an-ip'], 'x'), '10.0.0.5')
  t.equal(clientAddress(['::ffff:10.0.0.5'], 'x'), '10.0.0.5')
  t.equal(clientAddress(undefined, '127.0.0.1'), '127.0.0.1')
})

t.test('parseTrustProxy', async (t) => {
  t.same(parseTrustProxy('0'), { hops: 0 })
  t.same(parseTrustProxy(' 10.0.0.0/8 , 2001:db8::/32 '), { networks: ['10.0.0.0/8', '2001:db8::/32'] })
  for (const bad of ['11', 'x', '10.0.0.0/-1', '1.2.3.4/', '10.0.0.0/8,', 'true']) {
    if (bad === '10.0.0.0/8,') t.same(parseTrustProxy(bad), { networks: ['10.0.0.0/8'] }, 'a trailing comma is tolerated')
    else t.equal(parseTrustProxy(bad), undefined, bad)
  }
})
