import type { DatasetBuilder, FlownPad } from './dataset-builder.js'
import { PRD_CALIBRATION } from './leyte-periods.js'
import { FAILED_MOSAIC_JOB } from './messy-cases.js'
import { calibrationJob, type JobItem } from './records.js'

/**
 * The jobs table. Only one survey has its workflow jobs, as in the PRD's example:
 * the rest of the archive is older than the jobs table.
 */
export const JOBS_SURVEY = { site: 'leyte', sector: 'tongonan', period: '20241230' } as const

/** ODM starts six hours after take-off and takes 23 minutes per mosaic. */
const MOSAIC_QUEUE_S = 6 * 3600
const MOSAIC_RUN_S = 1380

const iso = (seconds: number) => new Date(seconds * 1000).toISOString()

function mosaicJobs(flight: FlownPad): JobItem[] {
  const { loc } = flight
  const base: Pick<JobItem, 'job_type' | 'site_id' | 'sector_id' | 'period' | 'pad_id'> = {
    job_type: 'mosaic_prep',
    site_id: loc.site,
    sector_id: loc.sector,
    period: loc.period,
    pad_id: loc.pad_id
  }
  const jobs = flight.mosaics.map((m): JobItem => ({
    job_id: `mosaic-${loc.pad_id}-${loc.period}-${m.type}`,
    ...base,
    status: 'COMPLETED',
    mosaic_type: m.type,
    image_count: m.shots,
    output_s3_prefix: m.prefix,
    created_at: iso(flight.start + MOSAIC_QUEUE_S),
    completed_at: iso(flight.start + MOSAIC_QUEUE_S + MOSAIC_RUN_S)
  }))
  if (loc.pad_id === FAILED_MOSAIC_JOB.padId && loc.period === FAILED_MOSAIC_JOB.period) {
    jobs.push({
      job_id: `mosaic-${loc.pad_id}-${loc.period}-${FAILED_MOSAIC_JOB.type}`,
      ...base,
      status: 'FAILED',
      mosaic_type: FAILED_MOSAIC_JOB.type,
      image_count: flight.images,
      error_message: FAILED_MOSAIC_JOB.error,
      created_at: iso(flight.start + MOSAIC_QUEUE_S)
    })
  }
  return jobs
}

/** Mosaic jobs of every pad flown in JOBS_SURVEY, then the survey's calibration job. */
export function demoJobs(b: DatasetBuilder): void {
  const { site, sector, period } = JOBS_SURVEY
  for (const flight of b.flights) {
    if (flight.loc.site === site && flight.loc.sector === sector && flight.loc.period === period) b.jobs.push(...mosaicJobs(flight))
  }
  b.jobs.push(
    calibrationJob({
      site,
      sector,
      period,
      params: PRD_CALIBRATION,
      imageCount: b.images.filter((i) => i.sector_period === `${sector}#${period}`).length,
      createdAt: '2024-12-30T07:12:44.000Z',
      completedAt: '2024-12-30T07:31:02.000Z'
    })
  )
}
