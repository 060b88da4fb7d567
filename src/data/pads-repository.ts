import { QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { PadItem } from '../domain/records.js'
import type { CallContext } from '../call-context.js'
import { allItems } from './paginate.js'
import { itemAs } from './stored-item.js'

export const SITE_SECTOR_INDEX = 'SiteSectorDateIndex'

/** Reads the pads table. `site` and `sector` are DynamoDB reserved words, hence the aliases. */
export class PadsRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    /** Items per page; unset in production (DynamoDB's 1 MB pages). Tests set it to force many pages. */
    private readonly pageLimit?: number
  ) {}

  /** Id, name and site/sector attributes of every pad; the pads table is small (one item per well pad). */
  async scanLocations(ctx: CallContext): Promise<PadItem[]> {
    const items = await allItems(
      this.doc,
      ctx,
      (ExclusiveStartKey) =>
        new ScanCommand({
          TableName: this.table,
          ProjectionExpression: 'pad_id, pad_name, #site, #sector, site_id, sector_id',
          ExpressionAttributeNames: { '#site': 'site', '#sector': 'sector' },
          ExclusiveStartKey,
          Limit: this.pageLimit
        })
    )
    return items.map(itemAs<PadItem>)
  }

  async listBySiteSector(ctx: CallContext, site: string, sector: string): Promise<PadItem[]> {
    const items = await allItems(
      this.doc,
      ctx,
      (ExclusiveStartKey) =>
        new QueryCommand({
          TableName: this.table,
          IndexName: SITE_SECTOR_INDEX,
          KeyConditionExpression: 'site_sector = :ss',
          ExpressionAttributeValues: { ':ss': `${site}_${sector}` },
          ExclusiveStartKey,
          Limit: this.pageLimit
        })
    )
    return items.map(itemAs<PadItem>)
  }
}
