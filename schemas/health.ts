import { Type, type Static } from '@sinclair/typebox'

export const HealthSchema = Type.Object(
  {
    status: Type.Literal('healthy'),
    service: Type.String(),
    version: Type.String()
  },
  {
    $id: 'Health',
    additionalProperties: false,
    examples: [{ status: 'healthy', service: 'thermal-viewer-backend', version: '1.0.0' }]
  }
)
export type Health = Static<typeof HealthSchema>

export const ApiIndexSchema = Type.Object(
  {
    service: Type.String(),
    version: Type.String(),
    docs: Type.String({ description: 'Path of the interactive documentation.' }),
    openapi: Type.String({ description: 'Path of the OpenAPI document.' }),
    endpoints: Type.Record(Type.String(), Type.Array(Type.String()), {
      description: 'Endpoints by group, as `METHOD /path?query`.'
    })
  },
  { $id: 'ApiIndex', additionalProperties: false }
)
export type ApiIndex = Static<typeof ApiIndexSchema>
