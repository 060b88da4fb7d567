import { DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import type { Config } from '../../src/config.js'
import { buildDemoDataset } from '../seed/demo-dataset.js'
import { seed } from '../seed/seeder.js'
import { createAwsClients, type AwsClients } from '../../src/aws/clients.js'
import { embeddedSigners, isLoopback } from '../../src/aws/signers.js'
import { startEmbedded, type EmbeddedLogger } from './emulators.js'

interface EmbeddedData {
  clients: AwsClients
  s3Endpoint: string
  dynamodbEndpoint: string
  close(): Promise<void>
}

async function tableExists(clients: AwsClients, table: string): Promise<boolean> {
  try {
    await clients.dynamodb.send(new DescribeTableCommand({ TableName: table }))
    return true
  } catch (err) {
    if ((err as Error).name === 'ResourceNotFoundException') return false
    throw err
  }
}

/**
 * Starts dynalite and s3rver on loopback and fills them with the demo dataset,
 * so that `npm start` serves real data through the real AWS SDK with no account.
 * With DATA_DIR the data persists, and an already seeded store is left as it is.
 */
export async function startEmbeddedData(config: Config, log: EmbeddedLogger): Promise<EmbeddedData> {
  const started = Date.now()
  const emulators = await startEmbedded({
    dataDir: config.embedded.dataDir,
    s3Port: config.embedded.s3Port,
    dynamodbPort: config.embedded.dynamodbPort,
    bucket: config.aws.bucket,
    // Served beyond this machine: browsers elsewhere must reach S3 on the same interface.
    s3Host: isLoopback(config.host) ? undefined : config.host,
    log
  })
  const clients = createAwsClients({
    region: config.aws.region,
    s3Endpoint: emulators.s3Endpoint,
    dynamodbEndpoint: emulators.dynamodbEndpoint,
    s3ForcePathStyle: true,
    credentials: emulators.credentials,
    http: config.awsHttp
  })
  // On loopback, URLs at the emulator's own address open in this machine's browser.
  const signers =
    config.embedded.s3PublicUrl || !isLoopback(config.host)
      ? embeddedSigners({
          region: config.aws.region,
          credentials: emulators.credentials,
          s3Port: emulators.s3Port,
          publicUrl: config.embedded.s3PublicUrl,
          fallback: clients.s3
        })
      : undefined
  if (signers) {
    const destroy = clients.destroy.bind(clients)
    clients.signerFor = signers.signerFor
    clients.destroy = () => {
      signers.destroy()
      destroy()
    }
  }
  try {
    if (!(config.embedded.dataDir && (await tableExists(clients, config.aws.padsTable)))) {
      const counts = await seed(
        clients,
        config.aws,
        buildDemoDataset(),
        // Straight into s3rver's store: thousands of small objects through the SDK would slow every start.
        { log, putObjects: (objects) => emulators.writeObjects(objects) }
      )
      log.info({ ...counts, ms: Date.now() - started }, 'embedded demo dataset seeded')
    }
  } catch (err) {
    clients.destroy()
    await emulators.close()
    throw err
  }
  return {
    clients,
    s3Endpoint: emulators.s3Endpoint,
    dynamodbEndpoint: emulators.dynamodbEndpoint,
    close: () => emulators.close()
  }
}
