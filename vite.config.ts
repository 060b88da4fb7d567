// The web viewer (viewer/): React + MapLibre, built to dist-viewer/ with relative asset URLs, so the
// same build is served at /app/, under BASE_PATH, or from any folder of a static host.
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

/** The JavaScript /app/ loads, gzip-compressed, in bytes (350 kB): docs/decisions/0037. test/browser/viewer.test.ts checks what the page loads. */
export const VIEWER_JS_BUDGET_BYTES = 350_000

/** Prints the gzip size of all the JavaScript the build emits, and fails the build above the budget. */
function jsBudget(): Plugin {
  return {
    name: 'thermal-viewer-js-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      let bytes = 0
      for (const file of Object.values(bundle)) {
        if (file.type === 'chunk') bytes += gzipSync(file.code).length
      }
      const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`
      this.info(`viewer JavaScript: ${kb(bytes)} gzip in all (budget ${kb(VIEWER_JS_BUDGET_BYTES)})`)
      if (bytes > VIEWER_JS_BUDGET_BYTES)
        this.error(`viewer JavaScript is ${kb(bytes)} gzip, over the ${kb(VIEWER_JS_BUDGET_BYTES)} budget`)
    }
  }
}

const apiTarget = process.env.VIEWER_DEV_API ?? 'http://127.0.0.1:5001'

export default defineConfig({
  root: fileURLToPath(new URL('./viewer', import.meta.url)),
  base: './',
  plugins: [react(), jsBudget()],
  resolve: {
    alias: { '@thermal-viewer/client': fileURLToPath(new URL('./client/src/index.ts', import.meta.url)) }
  },
  build: {
    outDir: fileURLToPath(new URL('./dist-viewer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // MapLibre alone is one ~800 KB chunk: a warning about it says nothing new; the budget above is the check.
    chunkSizeWarningLimit: 1200
  },
  // `npm run dev`: the app on Vite's server at /app/ with reload, the API proxied to the dev API.
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: { '/api': apiTarget }
  }
})
