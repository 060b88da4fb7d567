import { Type } from '@sinclair/typebox'
import { DEFAULT_BY_DATA_SOURCE, BY_DATA_SOURCE } from './keywords.js'

// Running the service: logs, readiness, shutdown and metrics.

export const operationsEnv = {
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info', description: 'pino level; `silent` mutes the log.' }
  ),
  READY_CACHE_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 2000, description: 'How long a `/ready` result is reused.' }),
  SHUTDOWN_DRAIN_MS: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 300_000,
      [DEFAULT_BY_DATA_SOURCE]: BY_DATA_SOURCE.SHUTDOWN_DRAIN_MS,
      description:
        'After the first SIGTERM or SIGINT `/ready` answers 503 at once, but the server keeps accepting and serving this long, so the load balancer stops sending work first. Below `SHUTDOWN_GRACE_MS`.'
    })
  ),
  SHUTDOWN_GRACE_MS: Type.Integer({
    minimum: 0,
    maximum: 300_000,
    default: 20_000,
    description:
      'From the first signal to a forced exit (code 1). Keep it above `SHUTDOWN_DRAIN_MS` + `REQUEST_TIMEOUT_MS`, so a request accepted at the end of the drain can finish, and below the ALB deregistration delay.'
  }),
  METRICS_ENABLED: Type.Boolean({ default: true, description: 'Serve Prometheus metrics at `/metrics`.' }),
  METRICS_TOKEN: Type.Optional(
    Type.String({
      minLength: 16,
      description:
        "A bearer token `/metrics` accepts. With `AUTH_MODE` other than `none` the API's credentials work too, and `/metrics` is never open."
    })
  ),
  METRICS_PORT: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 65535,
      description:
        "Serve `/metrics` on a port of its own (same `HOST`, not `PORT`) instead of the API's; keep that port out of the load balancer."
    })
  )
}
