import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'

type SerializerFactory = ReturnType<typeof SerializerSelector>
type Serializer = ReturnType<ReturnType<SerializerFactory>>

/** Serializers by the shared schemas and options they were compiled with, then by their own schema. */
const compiled = new Map<string, Map<string, Serializer>>()

/**
 * Fastify's own serializer compiler, compiling each distinct response schema once.
 * Fastify compiles one serializer per route, status and method (every GET has its
 * HEAD twin), and the routes share most of their response schemas (the error schema
 * alone answers five statuses of each): about 580 compilations of 35 distinct schemas,
 * 2 s of CPU at every start. A serializer is a pure function of its schema and of the
 * shared schemas its `$ref`s point into, so it is kept for that pair, for the process:
 * another app built in the same process (tests, the bench) compiles nothing again.
 */
export const buildSerializer: SerializerFactory = (externalSchemas, options) => {
  const compile = SerializerSelector()(externalSchemas, options)
  const context = JSON.stringify([externalSchemas, options])
  let bySchema = compiled.get(context)
  if (!bySchema) {
    bySchema = new Map()
    compiled.set(context, bySchema)
  }
  const serializers = bySchema
  return (route) => {
    const key = JSON.stringify(route.schema)
    let serializer = serializers.get(key)
    if (!serializer) {
      serializer = compile(route)
      serializers.set(key, serializer)
    }
    return serializer
  }
}
