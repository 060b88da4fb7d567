import type { TSchema } from '@sinclair/typebox'
import { TypeCompiler, ValueErrorType } from '@sinclair/typebox/compiler'
import type { FastifySchemaCompiler } from 'fastify'

/**
 * The body is checked as sent: the app's Ajv coerces a scalar into a one-item
 * array (for query strings), which would turn `rows: "x"` into `["x"]` and hide
 * that `rows` is not an array. Issues come out in Ajv's shape for the error handler.
 */
export const strictBody: FastifySchemaCompiler<unknown> = ({ schema }) => {
  const check = TypeCompiler.Compile(schema as TSchema)
  return (value) => {
    if (check.Check(value)) return { value }
    const issue = check.Errors(value).First()!
    const path = issue.path.split('/')
    const required = issue.type === ValueErrorType.ObjectRequiredProperty
    return {
      error: [
        {
          keyword: required ? 'required' : 'type',
          instancePath: required ? path.slice(0, -1).join('/') : issue.path,
          params: required ? { missingProperty: path.at(-1) } : {},
          message: issue.message.replace(/^Expected/, 'expected')
        }
      ] as never
    }
  }
}
