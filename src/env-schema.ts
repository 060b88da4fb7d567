import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { authEnv, edgeEnv } from './env/access.js'
import { awsClientEnv, awsEnv, dataSourceEnv } from './env/data.js'
import { heatLossEnv } from './env/heat-loss.js'
import { operationsEnv } from './env/operations.js'
import { listenEnv, reportsEnv, responsesEnv, tilesEnv } from './env/serving.js'
import { viewerEnv } from './env/viewer.js'

export { ALLOWED, BY_DATA_SOURCE, DEFAULT_BY_DATA_SOURCE } from './env/keywords.js'
export { DEFAULT_SURVEY_CACHE_MAX_IMAGES } from './env/serving.js'

// Every variable carries its description, default and range (the groups in src/env/):
// docs/configuration.md and .env.example are generated from them (npm run config-docs), in this order.

/** The variables by group, in the order docs/configuration.md and .env.example list them. */
export const ENV_GROUPS: readonly { title: string; variables: Record<string, TSchema> }[] = [
  { title: 'Data source', variables: dataSourceEnv },
  { title: 'Listening', variables: listenEnv },
  { title: 'AWS resources', variables: awsEnv },
  { title: 'AWS client', variables: awsClientEnv },
  { title: 'Responses and caches', variables: responsesEnv },
  { title: 'Map tiles', variables: tilesEnv },
  { title: 'Reports', variables: reportsEnv },
  { title: 'Heat loss', variables: heatLossEnv },
  { title: 'Web viewer', variables: viewerEnv },
  { title: 'Authentication', variables: authEnv },
  { title: 'HTTP edge', variables: edgeEnv },
  { title: 'Operations', variables: operationsEnv }
]

/** Every setting the service reads from its environment; loadConfig (config.ts) validates it into a `Config`. */
export const EnvSchema = Type.Object({
  ...dataSourceEnv,
  ...listenEnv,
  ...awsEnv,
  ...awsClientEnv,
  ...responsesEnv,
  ...tilesEnv,
  ...reportsEnv,
  ...heatLossEnv,
  ...viewerEnv,
  ...authEnv,
  ...edgeEnv,
  ...operationsEnv
})

export type Env = Static<typeof EnvSchema>
