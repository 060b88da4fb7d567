/**
 * `npm run dev`: the API from source (restarting on change, as `node --watch` does) and the
 * web viewer on Vite's dev server (reloading on change), which sends /api to the API.
 * Open the URL Vite prints; Ctrl-C stops both.
 */
import { spawn } from 'node:child_process'
import { createServer } from 'vite'
import { LEGACY_OPENSSL_FLAG } from './start-command.js'

const port = process.env.PORT ?? '5001'
process.env.VIEWER_DEV_API ??= `http://127.0.0.1:${port}`

const api = spawn(process.execPath, [LEGACY_OPENSSL_FLAG, '--import', 'tsx', '--watch', 'demo/server.ts'], { stdio: 'inherit' })
const vite = await createServer()
await vite.listen()
vite.printUrls()
console.log(`the viewer's /api requests go to ${process.env.VIEWER_DEV_API}`)

let stopping = false
const stop = async (code: number) => {
  if (stopping) return
  stopping = true
  api.kill('SIGTERM')
  await vite.close()
  process.exit(code)
}
api.once('exit', (code) => void stop(code ?? 0))
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop(0))
