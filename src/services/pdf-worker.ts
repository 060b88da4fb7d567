import { renderLineLossPdf } from '../domain/line-loss-pdf.js'
import type { LineLossReport } from '../domain/line-loss-report.js'

/** The PDF pool's task, run in a worker thread: the same pure renderer, off the event loop. */
export default function render(report: LineLossReport): Uint8Array {
  return renderLineLossPdf(report)
}
