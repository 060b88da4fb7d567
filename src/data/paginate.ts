import { ScanCommand, type DynamoDBDocumentClient, type QueryCommand } from '@aws-sdk/lib-dynamodb'
import { tally } from '../aws/call-counter.js'
import type { CallContext } from '../call-context.js'

/**
 * Follows a paginated AWS read to the end. The original service read one page
 * and silently dropped the rest once a table or prefix outgrew 1 MB / 1000 keys.
 */
export async function collectPages<TPage, TItem>(
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

type StartKey = Record<string, unknown> | undefined

/**
 * Every item of a paginated DynamoDB Query or Scan, each page counted in the
 * request's tally. `command` builds the request for a page from its start key.
 */
export function allItems<TItem>(
  doc: DynamoDBDocumentClient,
  ctx: CallContext,
  command: (start: StartKey) => QueryCommand | ScanCommand
): Promise<TItem[]> {
  return collectPages(
    (start) => {
      const page = tally(command(start as StartKey), 'DynamoDB', ctx.calls)
      return page instanceof ScanCommand ? doc.send(page) : doc.send(page)
    },
    (page) => page.Items as TItem[] | undefined,
    (page) => page.LastEvaluatedKey
  )
}

// DynamoDB keys are maps, S3 tokens are strings: both are opaque here.
type TToken = Record<string, unknown> | string
