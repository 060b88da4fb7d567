// Minimal typings for dynalite@4 (CommonJS, ships no types): only what demo/embedded/emulators.ts uses.
declare module 'dynalite' {
  import type { Server } from 'node:http'

  interface DynaliteOptions {
    /** LevelDB directory; in-memory when omitted. */
    path?: string
    createTableMs?: number
    deleteTableMs?: number
    updateTableMs?: number
    maxItemSizeKb?: number
    verbose?: boolean
    debug?: boolean
    ssl?: boolean
  }

  function dynalite(options?: DynaliteOptions): Server
  export = dynalite
}
