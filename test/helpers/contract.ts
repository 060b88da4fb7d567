import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { parse } from 'yaml'
import { packageRoot } from '../../src/package-info.js'

interface Operation {
  operationId: string
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>
}
type Document = { paths: Record<string, Record<string, Operation>> }

/** The committed document, i.e. the published contract, not the TypeBox objects. */
export const openapi = parse(readFileSync(join(packageRoot, 'openapi.yaml'), 'utf8')) as Document

const ajv = new Ajv2020({ strict: false, allErrors: true })
addFormats.default(ajv)
ajv.addSchema(openapi, 'openapi')

const pointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1')

/** Path templates, static segments first, so `/api/thermal/{id}/stats` never matches `/api/thermal/{id}`. */
const templates = Object.keys(openapi.paths)
  .map((template) => ({
    template,
    re: new RegExp('^' + template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{[^/]+?\\\}/g, '[^/]+') + '$')
  }))
  .sort((a, b) => a.template.split('{').length - b.template.split('{').length)

export function findOperation(method: string, url: string) {
  // As app.inject parses it (WHATWG URL): `..` and `%2e%2e` segments are resolved before routing.
  const path = new URL(url, 'http://localhost').pathname
  const match = templates.find((t) => t.re.test(path))
  if (!match) return undefined
  const op = openapi.paths[match.template]![method.toLowerCase()]
  return op ? { template: match.template, method: method.toLowerCase(), op } : undefined
}

export class ContractViolation extends Error {
  override name = 'ContractViolation'
}

/**
 * Checks one response against the document: the status must be documented for
 * the operation, and a JSON body must match its schema.
 */
export function assertConforms(method: string, url: string, status: number, contentType: string | undefined, body: string) {
  const found = findOperation(method, url)
  if (!found) return undefined // undocumented routes (docs UI, 404s of unknown paths)
  const { template, op } = found
  const response = op.responses[String(status)]
  if (!response) throw new ContractViolation(`${op.operationId}: status ${status} is not documented (${url})`)
  if (!response.content) return op.operationId
  const mediaType = contentType?.split(';')[0]!.trim().toLowerCase() ?? ''
  if (!(mediaType in response.content)) {
    throw new ContractViolation(
      `${op.operationId} ${status}: content-type ${contentType} is not one of ${Object.keys(response.content).join(', ')}`
    )
  }
  const isJson = mediaType === 'application/json' || mediaType.endsWith('+json')
  if (!isJson) {
    // Binary and text bodies: the documented type, and for a PDF the file's own signature.
    if (mediaType === 'application/pdf' && !body.startsWith('%PDF-')) throw new ContractViolation(`${op.operationId} ${status}: not a PDF`)
    return op.operationId
  }
  const ref = `openapi#/paths/${pointer(template)}/${found.method}/responses/${status}/content/${pointer(mediaType)}/schema`
  const validate = ajv.getSchema(ref)
  if (!validate) throw new ContractViolation(`no schema at ${ref}`)
  if (!validate(JSON.parse(body))) {
    throw new ContractViolation(`${op.operationId} ${status} violates the contract: ${ajv.errorsText(validate.errors)} (${url})`)
  }
  return op.operationId
}

/** Every operation id of the committed contract: tests cover these instead of keeping their own list. */
export const OPERATION_IDS: readonly string[] = Object.values(openapi.paths).flatMap((methods) =>
  Object.values(methods).map((op) => op.operationId)
)
