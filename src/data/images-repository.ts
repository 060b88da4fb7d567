import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { tally } from '../aws/call-counter.js'
import type { ImageRecord } from '../domain/records.js'
import type { CallContext } from '../call-context.js'
import { collectPages } from './paginate.js'

export const SITE_SECTOR_PERIOD_INDEX = 'SiteSectorPeriodIndex'

/** Attribute sets read per use case, so a query moves only what the response needs. */
export const PROJECTIONS = {
  cameras: [
    'image_id',
    'optical_filename',
    'thermal_filename',
    'colored_images',
    'optical_metadata.gps_location.altitude',
    'thermal_metadata.temperature_min',
    'thermal_metadata.temperature_max'
  ],
  coverage: ['image_id', 'optical_metadata.gps_location.altitude'],
  metadata: ['image_id', 'processing_status.mosaic_prep.mosaic_s3_keys']
} as const

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
    return out.Item as ImageRecord | undefined
  }

  /**
   * Images of one pad in one period: the GSI is keyed by site and sector#period,
   * so the pad is a filter, and every page is followed.
   */
  async listForPad(
    ctx: CallContext,
    site: string,
    sector: string,
    period: string,
    padId: string,
    attributes: readonly string[]
  ): Promise<ImageRecord[]> {
    const proj = projection(attributes)
    return collectPages(
      (ExclusiveStartKey) =>
        this.doc.send(
          tally(
            new QueryCommand({
              TableName: this.table,
              IndexName: SITE_SECTOR_PERIOD_INDEX,
              KeyConditionExpression: '#site_id = :site AND #sector_period = :sp',
              FilterExpression: '#pad_id = :pad',
              ProjectionExpression: proj.ProjectionExpression,
              ExpressionAttributeNames: {
                ...proj.ExpressionAttributeNames,
                '#site_id': 'site_id',
                '#sector_period': 'sector_period',
                '#pad_id': 'pad_id'
              },
              ExpressionAttributeValues: { ':site': site, ':sp': `${sector}#${period}`, ':pad': padId },
              ExclusiveStartKey: ExclusiveStartKey as Record<string, unknown> | undefined,
              Limit: this.pageLimit
            }),
            'DynamoDB',
            ctx.calls
          )
        ),
      (page) => page.Items as ImageRecord[] | undefined,
      (page) => page.LastEvaluatedKey
    )
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
