import { ScanCommand, type DynamoDBDocumentClient, type QueryCommand } from '@aws-sdk/lib-dynamodb'
import { tally } from '../aws/call-counter.js'
import type { CallContext } from '../call-context.js'
import type { DocumentItem } from './stored-item.js'

/**
 * Follows a paginated AWS read to the end. The original service read one page
 * and silently dropped the rest once a table or prefix outgrew 1 MB / 1000 keys.
 */
export async function collectPages<TPage, TItem, TToken>(
  fetchPage: (token: TToken | undefined) => Promise<TPage>,
  itemsOf: (page: TPage) => readonly TItem[] | undefined,
  nextToken: (page: TPage) => TToken | undefined
): Promise<TItem[]> {
  const items: TItem[] = []
  let token: TToken | undefined
  do {
    const page = await fetchPage(token)
    items.push(...(itemsOf(page) ?? []))
    token = nextToken(page)
  } while (token !== undefined)
  return items
}

/**
 * Every item of a paginated DynamoDB Query or Scan, each page counted in the
 * request's tally. `command` builds the request for a page from its start key
 * (the previous page's LastEvaluatedKey). Items come as the DocumentClient
 * returns them; the repository gives them their type (`itemAs`).
 */
export function allItems(
  doc: DynamoDBDocumentClient,
  ctx: CallContext,
  command: (start: DocumentItem | undefined) => QueryCommand | ScanCommand
): Promise<DocumentItem[]> {
  return collectPages(
    (start: DocumentItem | undefined) => {
      const page = tally(command(start), 'DynamoDB', ctx.calls)
      return page instanceof ScanCommand ? doc.send(page) : doc.send(page)
    },
    (page) => page.Items,
    (page) => page.LastEvaluatedKey
  )
}
