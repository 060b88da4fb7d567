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

// DynamoDB keys are maps, S3 tokens are strings: both are opaque here.
type TToken = Record<string, unknown> | string
