import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Piscina } from 'piscina'
import { renderLineLossPdf } from '../domain/line-loss-pdf.js'
import type { LineLossReport } from '../domain/line-loss-report.js'
import { ConcurrencyLimit } from './concurrency-limit.js'

/** Turns a report model into PDF bytes. */
export interface PdfRenderer {
  render(report: LineLossReport): Promise<Buffer>
}

/** In the calling thread: for scripts and tests that build services without an app. */
export const inThreadPdfRenderer: PdfRenderer = { render: (report) => Promise.resolve(renderLineLossPdf(report)) }

export interface PdfPoolOptions {
  /** Worker threads rendering at once. */
  threads: number
  /** Reports waiting for a thread; beyond them a 503. */
  maxQueue: number
  /** A thread idle this long exits, and its memory (pdfkit's ~11 MB) with it. */
  idleTimeoutMs?: number
}

// The worker is a sibling module with this file's own extension: .ts under tsx (tests, npm run dev), .js in dist/.
const WORKER = new URL(`./pdf-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url).href

/**
 * pdfkit renders synchronously (~65 ms of CPU for 500 rows): on the event loop, 50
 * reports at once held every other request for seconds. The pool renders in at most
 * `threads` worker threads and keeps at most `maxQueue` reports waiting; the rest
 * are refused with a 503, so the work a burst can pile up is bounded.
 */
export class PdfPool implements PdfRenderer {
  private readonly pool: Piscina<LineLossReport, Uint8Array>
  // Reports reach the pool only as threads free up: the waiting ones are bounded here, with the 503 beyond them.
  private readonly slots: ConcurrencyLimit

  constructor(options: PdfPoolOptions) {
    this.pool = new Piscina({
      filename: WORKER,
      // No thread until the first report: most processes never render one (decision 0016).
      minThreads: 0,
      maxThreads: options.threads,
      idleTimeout: options.idleTimeoutMs ?? 60_000,
      concurrentTasksPerWorker: 1
    })
    this.slots = new ConcurrencyLimit(options.threads, {
      maxWaiting: options.maxQueue,
      busyMessage: 'the report renderer is busy; retry later'
    })
  }

  /** Reports rendering and waiting now. */
  get load(): { running: number; waiting: number } {
    return this.slots.load
  }

  async render(report: LineLossReport): Promise<Buffer> {
    const bytes = await this.slots.run(() => this.pool.run(report))
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  close(): Promise<void> {
    return this.pool.close({ force: true })
  }
}
