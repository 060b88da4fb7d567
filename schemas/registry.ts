import { Kind, type TSchema } from '@sinclair/typebox'
import * as schemas from './index.js'

const exported: unknown[] = Object.values(schemas)

function isNamedSchema(value: unknown): value is TSchema & { $id: string } {
  return typeof value === 'object' && value !== null && Kind in value && typeof (value as { $id?: unknown }).$id === 'string'
}

/**
 * Every named schema that schemas/ exports, registered once with `addSchema` so
 * routes can `$ref` them and the OpenAPI document lists them under their own
 * names. Taken from the exports, so a new schema file needs no list of its own.
 */
export const sharedSchemas: readonly (TSchema & { $id: string })[] = exported.filter(isNamedSchema)
