import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The directory holding package.json. Found by walking up, because this file
 * runs both from `src/` (tsx) and from `dist/src/` (compiled).
 */
export const packageRoot: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url))
    dir = parent
  }
  return dir
})()

const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }

/**
 * The service's one name: `thermal-viewer-backend` is what the PRD's /health
 * returns (the viewer and the original smoke test read it), and the title is the
 * same name as the docs spell it.
 */
export const SERVICE_NAME = 'thermal-viewer-backend'
export const SERVICE_TITLE = 'Thermal Viewer API'
export const packageVersion: string = pkg.version

/** Where `npm run build` writes the web viewer (vite.config.ts), relative to the package root. */
export const VIEWER_BUILD_DIR = 'dist-viewer'
