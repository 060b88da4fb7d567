import { EMBEDDED_CREDENTIALS, startEmbedded } from '../../demo/embedded/emulators.js'
import { buildDemoDataset } from '../../demo/seed/demo-dataset.js'
import { seed, type SeedNames } from '../../demo/seed/seeder.js'
import { createAwsClients, type AwsClients } from '../../src/aws/clients.js'
import { loadConfig } from '../../src/config.js'
import type { Teardown } from './app.js'

export type Emulators = Awaited<ReturnType<typeof startEmbedded>>

export interface EmulatorOptions {
  /** The bucket and tables; by default the configuration's defaults, which an app built with no AWS names reads. */
  names?: SeedNames
  /** The region the clients sign for; by default the configuration's. */
  region?: string
  /** Persist the data here, so that emulators started again on the same ports find it. */
  dataDir?: string
  s3Port?: number
  dynamodbPort?: number
}

/**
 * DynamoDB and S3 emulators of this process, and clients for them, closed when `t` ends.
 * For tests that need emulators of their own (faults, shutdown, the production start,
 * the seeder itself); read-only API tests use the run's shared demo store (demo-store.ts).
 */
export async function emulatorsWithClients(t: Teardown, o: EmulatorOptions = {}): Promise<{ emulators: Emulators; clients: AwsClients }> {
  const defaults = loadConfig({}).aws
  const names = o.names ?? defaults
  const emulators = await startEmbedded({ bucket: names.bucket, dataDir: o.dataDir, s3Port: o.s3Port, dynamodbPort: o.dynamodbPort })
  t.teardown(() => emulators.close())
  const clients = createAwsClients({
    region: o.region ?? defaults.region,
    s3Endpoint: emulators.s3Endpoint,
    dynamodbEndpoint: emulators.dynamodbEndpoint,
    s3ForcePathStyle: true,
    credentials: emulators.credentials
  })
  t.teardown(() => clients.destroy())
  return { emulators, clients }
}

/** Emulators holding the demo dataset under `o.names`, closed when `t` ends. */
export async function seededEmulators(t: Teardown, o: EmulatorOptions = {}): Promise<Emulators> {
  const { emulators, clients } = await emulatorsWithClients(t, o)
  await seed(clients, o.names ?? loadConfig({}).aws, buildDemoDataset(), { putObjects: (objects) => emulators.writeObjects(objects) })
  clients.destroy()
  return emulators
}

/** Where an app's clients reach S3 and DynamoDB: for a second app in aws mode at the first one's embedded emulators. */
export async function clientEndpoints(clients: AwsClients): Promise<{ s3Endpoint: string; dynamodbEndpoint: string }> {
  const endpoint = async (client: { config: { endpoint?: () => Promise<{ hostname: string; port?: number }> } }) => {
    const e = await client.config.endpoint!()
    return `http://${e.hostname}:${e.port}`
  }
  return { s3Endpoint: await endpoint(clients.s3), dynamodbEndpoint: await endpoint(clients.dynamodb) }
}

/**
 * An app in aws mode in this process signs with the SDK's default chain, which reads
 * the environment: the emulators' keys, unless the environment already has some.
 */
export function emulatorCredentialsInEnv(): void {
  process.env.AWS_ACCESS_KEY_ID ??= EMBEDDED_CREDENTIALS.accessKeyId
  process.env.AWS_SECRET_ACCESS_KEY ??= EMBEDDED_CREDENTIALS.secretAccessKey
}
