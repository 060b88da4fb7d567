import { Type, type Static } from '@sinclair/typebox'
import { apiTag } from './common.js'

export const HealthTag = apiTag('Health', 'Liveness, readiness and the endpoint index.')

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

export const DependencyCheckSchema = Type.Object(
  {
    status: Type.Union([Type.Literal('up'), Type.Literal('down')]),
    reason: Type.Optional(
      Type.Union([Type.Literal('unreachable'), Type.Literal('timeout'), Type.Literal('error')], {
        description: 'Why the dependency is down; details are in the server log.'
      })
    )
  },
  { $id: 'DependencyCheck', additionalProperties: false }
)
export type DependencyCheck = Static<typeof DependencyCheckSchema>

export const ReadinessSchema = Type.Object(
  {
    status: Type.Union([Type.Literal('ready'), Type.Literal('unavailable')]),
    checks: Type.Object(
      {
        dynamodb: Type.Ref(DependencyCheckSchema),
        s3: Type.Ref(DependencyCheckSchema)
      },
      { additionalProperties: false }
    )
  },
  {
    $id: 'Readiness',
    additionalProperties: false,
    description: 'Whether DynamoDB (DescribeTable) and S3 (HeadBucket) answer.',
    examples: [{ status: 'unavailable', checks: { dynamodb: { status: 'up' }, s3: { status: 'down', reason: 'unreachable' } } }]
  }
)
export type Readiness = Static<typeof ReadinessSchema>
