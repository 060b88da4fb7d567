import { networkInterfaces } from 'node:os'
import t from 'tap'
import { buildEmbeddedTestApp, padQuery } from '../helpers/app.js'

/**
 * The embedded demo opened from another machine: with a HOST that is not loopback,
 * the embedded S3 listens on that interface too, and presigned URLs point at the
 * host the request came in on (or at EMBEDDED_S3_PUBLIC_URL), with the emulator's port.
 */

const OPTICAL = '/api/optical/leyte_tongonan_20241230_0379'
/** What is tested here is where URLs point; on a busy machine load shedding would answer some requests with 503 instead. */
const NO_SHEDDING = { MAX_EVENT_LOOP_DELAY_MS: '0' }

/** An IPv4 address of this machine that is not loopback: what a laptop on the LAN would type. */
function lanAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address
  }
  return undefined
}

t.test('HOST=0.0.0.0: a URL presigned through a non-loopback Host opens from that address', async (t) => {
  const ip = lanAddress()
  if (!t.ok(ip, 'this machine has a non-loopback IPv4 address')) return
  const app = await buildEmbeddedTestApp(t, { HOST: '0.0.0.0', ...NO_SHEDDING })
  const res = await app.inject({ method: 'GET', url: OPTICAL, headers: { host: `${ip}:5001` } })
  t.equal(res.statusCode, 200)
  const { url } = res.json<{ url: string }>()
  const parsed = new URL(url)
  t.equal(parsed.hostname, ip, 'the URL points at the host the request came in on')
  t.not(parsed.port, '5001', "with the emulator's port, not the API's")
  const jpeg = await fetch(url)
  t.equal(jpeg.status, 200, `the URL downloads through ${ip}`)
  t.equal(
    Buffer.from(await jpeg.arrayBuffer())
      .subarray(0, 2)
      .toString('hex'),
    'ffd8',
    'a JPEG'
  )

  const ortho = await app.inject({ method: 'GET', url: `/api/mosaic/orthomosaic?${padQuery()}`, headers: { host: ip } })
  t.equal(new URL(ortho.json<{ url: string }>().url).hostname, ip, 'the orthomosaic URL too')
  const thermal = await app.inject({ method: 'GET', url: `/api/thermal/leyte_tongonan_20241230_0379`, headers: { host: ip } })
  t.equal(new URL(thermal.json<{ url: string }>().url).hostname, ip, 'and the thermal URL')

  const proxied = await app.inject({
    method: 'GET',
    url: OPTICAL,
    headers: { host: '10.0.0.9:5001', 'x-forwarded-host': 'thermal-demo.example.net' }
  })
  t.equal(new URL(proxied.json<{ url: string }>().url).hostname, 'thermal-demo.example.net', 'X-Forwarded-Host from the trusted proxy hop')

  const loopback = await app.inject({ method: 'GET', url: OPTICAL, headers: { host: 'bad_host!:5001' } })
  t.equal(new URL(loopback.json<{ url: string }>().url).hostname, '127.0.0.1', 'a host that is not a host name is not put in a URL')
  const again = await app.inject({ method: 'GET', url: OPTICAL, headers: { host: `${ip}:5001` } })
  t.equal(again.json<{ url: string }>().url, url, 'the URL for a host is reused (cached per host)')
})

t.test('EMBEDDED_S3_PUBLIC_URL: every URL points there', async (t) => {
  const app = await buildEmbeddedTestApp(t, { HOST: '0.0.0.0', EMBEDDED_S3_PUBLIC_URL: 'https://s3.demo.example/', ...NO_SHEDDING })
  const res = await app.inject({ method: 'GET', url: OPTICAL, headers: { host: '192.0.2.10:5001' } })
  t.equal(res.statusCode, 200)
  const { url } = res.json<{ url: string }>()
  t.ok(url.startsWith('https://s3.demo.example/thermal-api-dev-storage-7ecb7171/images/'), 'path-style under the public URL', { url })
})

t.test('HOST on loopback: URLs point at the emulator on 127.0.0.1, whatever the Host header', async (t) => {
  const app = await buildEmbeddedTestApp(t, NO_SHEDDING)
  const res = await app.inject({ method: 'GET', url: OPTICAL, headers: { host: 'viewer.example:5001' } })
  const { url } = res.json<{ url: string }>()
  t.equal(new URL(url).hostname, '127.0.0.1', { url })
  t.equal((await fetch(url)).status, 200, 'and it downloads')
})
