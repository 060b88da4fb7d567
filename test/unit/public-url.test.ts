import t from 'tap'
import { ConfigError, loadConfig } from '../../src/config.js'
import { baseFromRequest, validHost, validPrefix } from '../../src/public-url.js'

t.test('validHost accepts names, addresses and ports, and nothing else', async (t) => {
  for (const ok of ['example.com', 'a.b-c.example:8443', '127.0.0.1:5001', 'localhost', '[::1]:5001', '[2001:db8::1]', 'example.com.']) {
    t.equal(validHost(ok), ok, ok)
  }
  for (const bad of [
    '',
    'evil.example/path',
    'evil.example:99999',
    'evil.example:80:80',
    'user@evil.example',
    'evil example',
    '-evil.example',
    '[::1',
    '[not-v6]:80',
    'x'.repeat(300),
    'evil.example?x',
    undefined
  ]) {
    t.equal(validHost(bad), undefined, String(bad))
  }
})

t.test('validPrefix takes plain paths only: no dot segments, no encoding, no trailing slash', async (t) => {
  t.equal(validPrefix('/viewer'), '/viewer')
  t.equal(validPrefix('/a/b_c/v1.2'), '/a/b_c/v1.2')
  for (const bad of ['/../../x', '/..', '/./x', 'viewer', '/viewer/', '//evil.example', '/a%2e%2e', '/a b', '/a?b', '/a#b', undefined]) {
    t.equal(validPrefix(bad), '', String(bad))
  }
})

t.test('baseFromRequest believes forwarded headers from a trusted peer only, and only plain values', async (t) => {
  const origin = (headers: Record<string, string>, trusted = true) => ({
    trusted,
    encrypted: false,
    headers,
    fallbackHost: '127.0.0.1:5001'
  })
  t.equal(baseFromRequest(origin({ host: 'api.example:5001' }), ''), 'http://api.example:5001')
  t.equal(baseFromRequest(origin({ host: 'api.example' }), '/viewer'), 'http://api.example/viewer')
  const forwarded = {
    host: '10.0.0.9:5001',
    'x-forwarded-host': 'thermal.example',
    'x-forwarded-proto': 'https',
    'x-forwarded-prefix': '/tv'
  }
  t.equal(baseFromRequest(origin(forwarded), '/viewer'), 'https://thermal.example/tv/viewer')
  t.equal(baseFromRequest(origin(forwarded, false), '/viewer'), 'http://10.0.0.9:5001/viewer', 'an untrusted peer cannot forward')
  t.equal(
    baseFromRequest(origin({ host: 'api.example', 'x-forwarded-proto': 'javascript', 'x-forwarded-prefix': '/../../x' }), ''),
    'http://api.example',
    'a proto other than http(s) and a prefix with dot segments are ignored'
  )
  t.equal(
    baseFromRequest(origin({ host: 'api.example', 'x-forwarded-host': 'evil.example/x?', 'x-forwarded-proto': 'HTTPS, http' }), ''),
    'https://api.example',
    'a forwarded host that is not a host is ignored; the first proto of a chain counts'
  )
  t.equal(baseFromRequest(origin({ 'x-forwarded-host': 'a.example, b.example' }), ''), 'http://a.example', 'first of a chain')
  t.equal(baseFromRequest(origin({ host: 'bad host' }), ''), 'http://127.0.0.1:5001', 'no usable Host: where the server listens')
  t.equal(baseFromRequest({ ...origin({ host: 'api.example' }), encrypted: true }, ''), 'https://api.example')
})

t.test('PUBLIC_BASE_URL is validated once, with its trailing slash dropped', async (t) => {
  t.equal(loadConfig({ PUBLIC_BASE_URL: 'https://thermal.example.com/' }).publicBaseUrl, 'https://thermal.example.com')
  t.equal(loadConfig({ PUBLIC_BASE_URL: 'https://cdn.example/tv', BASE_PATH: '/viewer' }).publicBaseUrl, 'https://cdn.example/tv')
  t.equal(loadConfig({}).publicBaseUrl, undefined)
  for (const bad of [
    'ftp://x.example',
    'https://x.example?a=1',
    'https://x.example/#f',
    'https://user:pw@x.example',
    'https://x.example/../y',
    'x.example'
  ]) {
    t.throws(() => loadConfig({ PUBLIC_BASE_URL: bad }), { name: 'ConfigError', message: /PUBLIC_BASE_URL/ }, bad)
  }
  t.throws(
    () => loadConfig({ PUBLIC_BASE_URL: 'https://x.example/viewer', BASE_PATH: '/viewer' }),
    new ConfigError('PUBLIC_BASE_URL must not end with BASE_PATH (/viewer): links add BASE_PATH after it')
  )
})
