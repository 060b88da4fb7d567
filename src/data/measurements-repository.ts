import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { CallContext } from '../call-context.js'
import type { MeasurementItem } from '../domain/records.js'
import { allItems } from './paginate.js'
import { itemAs, type DocumentItem } from './stored-item.js'

export const SITE_SECTOR_PERIOD_PAD_INDEX = 'SiteSectorPeriodPadIndex'

/**
 * The DocumentClient returns DynamoDB sets as `Set`s, which serialise to `{}`:
 * they become arrays, so every stored value reaches the client.
 */
function plain(value: unknown): unknown {
  if (value instanceof Set) return [...(value as Set<unknown>)].map(plain)
  if (Array.isArray(value)) return value.map(plain)
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]))
  }
  return value
}

const withArrays = (item: DocumentItem): DocumentItem => Object.fromEntries(Object.entries(item).map(([k, v]) => [k, plain(v)]))

/** Reads the measurements table (PipeMeasure results) through its `site_id` + `sector#period#pad` index. */
export class MeasurementsRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    /** Items per page; unset in production (DynamoDB's 1 MB pages). Tests set it to force many pages. */
    private readonly pageLimit?: number
  ) {}

  private async query(ctx: CallContext, site: string, condition: string, value: string): Promise<MeasurementItem[]> {
    const items = await allItems(
      this.doc,
      ctx,
      (ExclusiveStartKey) =>
        new QueryCommand({
          TableName: this.table,
          IndexName: SITE_SECTOR_PERIOD_PAD_INDEX,
          KeyConditionExpression: `#site_id = :site AND ${condition}`,
          ExpressionAttributeNames: { '#site_id': 'site_id', '#spp': 'sector_period_pad' },
          ExpressionAttributeValues: { ':site': site, ':spp': value },
          ExclusiveStartKey,
          Limit: this.pageLimit
        })
    )
    return items.map((item) => itemAs<MeasurementItem>(withArrays(item)))
  }

  /** The item of one pad in one period, or undefined when the pad has not been measured. */
  async forPad(ctx: CallContext, site: string, sector: string, period: string, padId: string): Promise<MeasurementItem | undefined> {
    const items = await this.query(ctx, site, '#spp = :spp', `${sector}#${period}#${padId}`)
    return items[0]
  }

  /** Every item of a survey. The trailing `#` keeps `20250228` from matching `20250228-PMSB`. */
  forSurvey(ctx: CallContext, site: string, sector: string, period: string): Promise<MeasurementItem[]> {
    return this.query(ctx, site, 'begins_with(#spp, :spp)', `${sector}#${period}#`)
  }
}
