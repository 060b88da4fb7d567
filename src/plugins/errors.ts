import { STATUS_CODES } from 'node:http'
import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance, FastifySchema, preValidationHookHandler } from 'fastify'
import { classifyAwsError } from '../aws/errors.js'
import { InvalidKeyPartError } from '../domain/keys.js'
import { HttpError } from '../errors.js'
import { quotablePath } from '../http/edge-errors.js'

interface ValidationIssue {
  keyword: string
  instancePath: string
  message?: string
  params: Record<string, unknown>
}

const LOCATION: Record<string, string> = { querystring: 'query', params: 'path', headers: 'header', body: 'body' }

/** One line naming the parameter, e.g. `invalid query parameter 'site': must match pattern ^…$`. */
export function validationMessage(context: string | undefined, issues: readonly ValidationIssue[]): string {
  const where = LOCATION[context ?? ''] ?? context ?? 'request'
  // With several issues (e.g. anyOf branches) the first names the field best.
  const issue = issues[0]
  if (!issue) return `invalid ${where} parameters`
  // A body field is named by its whole path (`rows.3.length`); a query or path parameter by its name.
  const path = issue.instancePath.replace(/^\//, '').split('/').filter(Boolean)
  const scope = context === 'body' ? path : path.slice(0, 1)
  if (issue.keyword === 'required') {
    const missing = [...scope, String(issue.params.missingProperty)].join('.')
    return `missing required ${where} parameter '${missing}'`
  }
  const name = scope.join('.') || where
  let detail = issue.message ?? 'is invalid'
  if (issue.keyword === 'enum' && Array.isArray(issue.params.allowedValues)) {
    detail = `must be one of: ${issue.params.allowedValues.join(', ')}`
  } else if (issue.keyword === 'pattern') {
    detail = `must match pattern ${String(issue.params.pattern)}`
  }
  return `invalid ${where} parameter '${name}': ${detail}`
}

/** Fastify's own 4xx, in words that name what to fix and echo nothing the client sent. */
const FRAMEWORK_MESSAGES: Record<string, string> = {
  FST_ERR_BAD_URL: 'invalid URL encoding',
  FST_ERR_CTP_BODY_TOO_LARGE: 'request body too large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported content type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'request body does not match its Content-Length',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'request body is empty',
  FST_ERR_CTP_INVALID_JSON_BODY: 'request body is not valid JSON'
}

type ValidatedPart = 'querystring' | 'params'
type NumericType = 'integer' | 'number'

interface NumericParameter {
  part: ValidatedPart
  name: string
  type: NumericType
}

/** The number and integer parameters of a route, by the part of the request they are in. */
export function numericParameters(schema: FastifySchema | undefined): NumericParameter[] {
  return (['querystring', 'params'] as const).flatMap((part) => {
    const properties = (schema?.[part] as { properties?: Record<string, { type?: unknown }> } | undefined)?.properties ?? {}
    return Object.entries(properties)
      .filter((entry): entry is [string, { type: NumericType }] => entry[1].type === 'integer' || entry[1].type === 'number')
      .map(([name, s]) => ({ part, name, type: s.type }))
  })
}

/** Plain decimal notation: an integer is digits, a number may have a fraction and an exponent. */
const DECIMAL: Record<NumericType, RegExp> = {
  integer: /^-?\d+$/,
  number: /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/
}
const DECIMAL_RULE: Record<NumericType, string> = {
  integer: 'must be an integer in decimal digits',
  number: 'must be a finite decimal number'
}

/** Whether the text of a parameter is a number of its type as the contract means it: decimal and finite. */
export function isDecimal(type: NumericType, text: string): boolean {
  return DECIMAL[type].test(text) && Number.isFinite(Number(text))
}

/**
 * Ajv coerces a parameter with `Number(text)`, which reads `0x10`, `0b11`, `1e3`, ` 5` and
 * `Infinity`, and then skips `minimum` and `maximum` for a value that is not finite
 * (ajv-validator/ajv#2212, fastify/fastify#6718). So every numeric parameter's text is checked
 * here first, before coercion (preValidation), against the one rule of the contract; Ajv then
 * checks the range of what is left.
 */
function decimalNumbersOnly(parameters: readonly NumericParameter[]): preValidationHookHandler {
  return (request, _reply, done) => {
    for (const { part, name, type } of parameters) {
      const raw = ((part === 'querystring' ? request.query : request.params) as Record<string, unknown> | undefined)?.[name]
      // A repeated parameter is an array: Ajv refuses it as such.
      const texts = Array.isArray(raw) ? raw : [raw]
      if (texts.every((text) => typeof text !== 'string' || isDecimal(type, text))) continue
      const issue: ValidationIssue = { keyword: 'type', instancePath: `/${name}`, params: { type }, message: DECIMAL_RULE[type] }
      return done(Object.assign(new Error(validationMessage(part, [issue])), { validation: [issue], validationContext: part }))
    }
    done()
  }
}

/**
 * The longest message an error carries. A message names what the client sent, and every id
 * is bounded by its allow-list (the longest 404 is about 340 characters); this bounds any
 * other echo, so an error body never grows with the request.
 */
export const MAX_ERROR_MESSAGE = 512

function bounded(message: string): string {
  return message.length > MAX_ERROR_MESSAGE ? `${message.slice(0, MAX_ERROR_MESSAGE - 3)}...` : message
}

function statusText(status: number): string {
  return (STATUS_CODES[status] ?? 'error').toLowerCase()
}

/**
 * The only error handler. Client mistakes keep their 4xx and a message naming
 * the parameter; AWS faults become 502/503/504; everything else is a 500 whose
 * details go to the log, never to the client.
 */
async function errors(app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    const numeric = numericParameters(route.schema)
    if (numeric.length > 0) route.preValidation = [decimalNumbersOnly(numeric), ...[route.preValidation ?? []].flat()]
  })

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err.validation) {
      return reply.code(400).send({ error: validationMessage(err.validationContext, err.validation) })
    }
    if (err instanceof HttpError) {
      if (err.statusCode >= 500) request.log.warn({ err }, err.message)
      return reply
        .code(err.statusCode)
        .headers(err.headers)
        .send({ error: bounded(err.message) })
    }
    if (err instanceof InvalidKeyPartError) {
      return reply.code(400).send({ error: `invalid parameter '${err.parameter}'` })
    }
    const aws = classifyAwsError(err)
    if (aws) {
      request.log.error({ err }, 'AWS call failed')
      if (aws.retryAfterSeconds) reply.header('retry-after', String(aws.retryAfterSeconds))
      return reply.code(aws.status).send({ error: aws.error })
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({ error: `request body too large: at most ${request.routeOptions.bodyLimit ?? 0} bytes` })
    }
    const status = err.statusCode ?? 500
    if (status >= 400 && status < 500) {
      request.log.info({ err: { message: err.message, code: err.code } }, 'client error')
      // Fastify's own messages can quote what the client sent; messages of our plugins (rate limit) are ours.
      const message = err.code?.startsWith('FST_') ? (FRAMEWORK_MESSAGES[err.code] ?? statusText(status)) : err.message
      return reply.code(status).send({ error: message })
    }
    request.log.error({ err }, 'unhandled error')
    return reply.code(500).send({ error: 'internal server error' })
  })

  app.setNotFoundHandler((request, reply) => {
    // The URL as sent, BASE_PATH included.
    return reply.code(404).send({ error: `route ${request.method} ${quotablePath(request.originalUrl)} not found` })
  })

  // Plugins that answer on their own (a CORS preflight the cors plugin refuses) still send the one shape.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.statusCode < 400 || String(reply.getHeader('content-type')).startsWith('application/json')) return done(null, payload)
    const error =
      payload === 'Invalid Preflight Request'
        ? 'invalid CORS preflight: Origin and Access-Control-Request-Method are required'
        : statusText(reply.statusCode)
    reply.type('application/json; charset=utf-8')
    done(null, JSON.stringify({ error }))
  })
}

export default fp(errors, { name: 'errors', fastify: '5.x' })
