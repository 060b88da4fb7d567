import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance } from 'fastify'
import { classifyAwsError } from '../aws/errors.js'
import { InvalidKeyPartError } from '../domain/keys.js'
import { HttpError } from '../errors.js'

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

/**
 * The only error handler. Client mistakes keep their 4xx and a message naming
 * the parameter; AWS faults become 502/503/504; everything else is a 500 whose
 * details go to the log, never to the client.
 */
async function errors(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err.validation) {
      return reply.code(400).send({ error: validationMessage(err.validationContext, err.validation) })
    }
    if (err instanceof HttpError) {
      if (err.statusCode >= 500) request.log.warn({ err }, err.message)
      return reply.code(err.statusCode).headers(err.headers).send({ error: err.message })
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
      return reply.code(status).send({ error: err.message })
    }
    request.log.error({ err }, 'unhandled error')
    return reply.code(500).send({ error: 'internal server error' })
  })

  app.setNotFoundHandler((request, reply) => {
    return reply.code(404).send({ error: `route ${request.method} ${request.url.split('?')[0]} not found` })
  })
}

export default fp(errors, { name: 'errors', fastify: '5.x' })
