import { createServer } from 'node:net'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
const peer = createServer((s) => { s.on('error', () => {}); s.resetAndDestroy() })
await new Promise<void>((r) => peer.listen(0, '127.0.0.1', r))
const endpoint = `http://127.0.0.1:${(peer.address() as { port: number }).port}`
const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'error', DATA_SOURCE: 'aws', AWS_ENDPOINT_URL_DYNAMODB: endpoint, AWS_ENDPOINT_URL_S3: endpoint, S3_FORCE_PATH_STYLE: 'true', AWS_MAX_ATTEMPTS: '1', MAX_EVENT_LOOP_DELAY_MS: '0' }) })
await app.ready()
for (const url of ['/api/sites', '/ready', '/api/optical/leyte_tongonan_20241230_0379']) {
  const res = await app.inject({ method: 'GET', url })
  console.log(url, res.statusCode, res.headers['retry-after'], res.body.slice(0, 200))
}
await app.close(); peer.close()
