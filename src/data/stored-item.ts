import type { NativeAttributeValue } from '@aws-sdk/lib-dynamodb'

/** An item as the DocumentClient returns it: every attribute `any`. */
export type DocumentItem = Record<string, NativeAttributeValue>

/**
 * The one place where an item read from DynamoDB takes its stored type
 * (domain/records.ts). It asserts and does not check: DynamoDB guarantees only
 * the key attributes, and a check of every other one would reject items the
 * domain reads today value by value. The stored types make those attributes
 * optional, so each reader tests what it uses (`isFiniteNumber`, `normalisePad`).
 */
export function itemAs<T extends object>(item: DocumentItem): T {
  return item as T
}
