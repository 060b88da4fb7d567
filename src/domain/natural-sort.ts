const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' })

/** Natural order: "2" before "10", case-insensitive, ties broken by plain code-point order. */
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0)
}

export function ascending(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
