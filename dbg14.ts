import { buildApp } from './src/app.js'
import { loadConfig } from './src/config.js'
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb'
const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }) })
await app.ready()
app.aws.dynamodb.middlewareStack.add((next) => async (args) => { try { return await next(args) } catch (e) { console.log('attempt error', (e as Error).name, (e as Error).message); throw e } }, { step: 'deserialize', name: 'dbg' })
for (let i = 0; i < 2; i++) {
  const r = await app.aws.dynamodb.send(new DescribeTableCommand({ TableName: loadConfig({}).aws.imagesTable }))
  console.log(r.$metadata.attempts)
}
await app.close()
