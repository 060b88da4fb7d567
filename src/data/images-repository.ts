import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { tally } from '../aws/call-counter.js'
import type { ImageRecord } from '../domain/records.js'
import type { CallContext } from '../call-context.js'
import { allItems } from './paginate.js'
import { itemAs } from './stored-item.js'

export const SITE_SECTOR_PERIOD_INDEX = 'SiteSectorPeriodIndex'

/**
 * What the survey index keeps of each image: everything the pad-level and
 * analytics endpoints read (the camera join, coverage, mosaic metadata, the
 * temperature rule and the hot-spot location), and nothing else.
 */
export const SURVEY_ATTRIBUTES = [
  'image_id',
  'pad_id',
  'optical_filename',
  'thermal_filename',
  'colored_images',
  'optical_metadata.gps_location',
  'thermal_metadata.temperature_min',
  'thermal_metadata.temperature_max',
  'thermal_metadata.temperature_avg',
  // The heat loss's ambient temperature and emissivity.
  'thermal_metadata.ambient_temperature',
  'calibration.params.ambient_temp',
  'calibration.params.emissivity',
  'calibration.status',
  'calibration.temperature_delta',
  'processing_status.mosaic_prep.mosaic_s3_keys'
] as const

function projection(paths: readonly string[]) {
  const names: Record<string, string> = {}
  const expr = paths.map((path) =>
    path
      .split('.')
      .map((part) => {
        const alias = `#${part}`
        names[alias] = part
        return alias
      })
      .join('.')
  )
  return { ProjectionExpression: expr.join(', '), ExpressionAttributeNames: names }
}

export class ImagesRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    /** Items per page; unset in production (DynamoDB's 1 MB pages). Tests set it to force many pages. */
    private readonly pageLimit?: number
  ) {}

  async get(ctx: CallContext, imageId: string): Promise<ImageRecord | undefined> {
    const out = await this.doc.send(tally(new GetCommand({ TableName: this.table, Key: { image_id: imageId } }), 'DynamoDB', ctx.calls))
    return out.Item && itemAs<ImageRecord>(out.Item)
  }

  /**
   * Every image of one survey: one Query of the GSI (keyed by site and
   * sector#period), through every page, projected to `attributes`.
   */
  async listSurvey(ctx: CallContext, site: string, sector: string, period: string, attributes: readonly string[]): Promise<ImageRecord[]> {
    const proj = projection(attributes)
    const items = await allItems(
      this.doc,
      ctx,
      (ExclusiveStartKey) =>
        new QueryCommand({
          TableName: this.table,
          IndexName: SITE_SECTOR_PERIOD_INDEX,
          KeyConditionExpression: '#site_id = :site AND #sector_period = :sp',
          ProjectionExpression: proj.ProjectionExpression,
          ExpressionAttributeNames: { ...proj.ExpressionAttributeNames, '#site_id': 'site_id', '#sector_period': 'sector_period' },
          ExpressionAttributeValues: { ':site': site, ':sp': `${sector}#${period}` },
          ExclusiveStartKey,
          Limit: this.pageLimit
        })
    )
    return items.map(itemAs<ImageRecord>)
  }

  /**
   * Distinct periods of a sector by key-skipping on the GSI: each Query reads one
   * item and the next one starts just past that item's `sector_period`. The cost
   * grows with the number of periods, never with the number of images.
   */
  async listPeriods(ctx: CallContext, site: string, sector: string): Promise<string[]> {
    const prefix = `${sector}#`
    const periods: string[] = []
    let cursor = prefix
    for (;;) {
      const out = await this.doc.send(
        tally(
          new QueryCommand({
            TableName: this.table,
            IndexName: SITE_SECTOR_PERIOD_INDEX,
            KeyConditionExpression: '#site_id = :site AND #sp > :cursor',
            ProjectionExpression: '#sp',
            ExpressionAttributeNames: { '#site_id': 'site_id', '#sp': 'sector_period' },
            ExpressionAttributeValues: { ':site': site, ':cursor': cursor },
            Limit: 1
          }),
          'DynamoDB',
          ctx.calls
        )
      )
      const value: unknown = out.Items?.[0]?.sector_period
      if (typeof value !== 'string' || !value.startsWith(prefix)) return periods
      periods.push(value.slice(prefix.length))
      cursor = value
    }
  }
}
