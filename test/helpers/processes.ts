import { once } from 'node:events'
import { createServer, type AddressInfo } from 'node:net'

/** The parent's environment without npm's and tap's own variables (loaders, coverage hooks, config), for a child process. */
export function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'NODE_OPTIONS' || key === 'NODE_ENV' || /^(npm_|TAP|_TAPJS)/i.test(key)) continue
    env[key] = value
  }
  return env
}

/** A loopback port that was free a moment ago, for a server that must be told its port up front. */
export async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  server.close()
  await once(server, 'close')
  return port
}
