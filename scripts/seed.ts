/**
 * `npm run seed`: writes the demo dataset.
 * `npm run seed -- --scale N` (or `npm run seed:scale -- N`): writes the N× benchmark
 * archive of bench/scale-dataset.ts instead (1× = 18,000 images, 10× = 180,000).
 *
 * - DATA_SOURCE=aws: into the configured tables and bucket (AWS, or LocalStack via
 *   AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_DYNAMODB), creating them when missing.
 * - DATA_SOURCE=embedded with DATA_DIR: into the persistent emulator store there.
 * - DATA_SOURCE=embedded without DATA_DIR: nothing to do; the server seeds its
 *   in-memory emulators on every start.
 */
import { createAwsClients } from '../src/aws/clients.js'
import { startEmbedded } from '../demo/embedded/emulators.js'
import { ConfigError, loadConfig, type Config } from '../src/config.js'
import { buildDemoDataset } from '../demo/seed/demo-dataset.js'
import { seedScale } from '../bench/scale-dataset.js'
import { seed, type SeedLogger, type SeedNames } from '../demo/seed/seeder.js'

function details(obj: object): string {
  const parts = Object.entries(obj)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
  return parts.length ? ` (${parts.join(', ')})` : ''
}

const log: SeedLogger = {
  info: (obj, msg) => console.log(`seed: ${msg ?? ''}${details(obj)}`),
  warn: (obj, msg) => console.warn(`seed: warning: ${msg ?? ''}${details(obj)}`)
}

function namesOf(config: Config): SeedNames {
  return {
    bucket: config.aws.bucket,
    imagesTable: config.aws.imagesTable,
    padsTable: config.aws.padsTable,
    jobsTable: config.aws.jobsTable,
    measurementsTable: config.aws.measurementsTable
  }
}

/** `--scale N`, `--scale=N`, or (from `npm run seed:scale -- N`) `--scale N`; undefined for the demo dataset. */
function parseScale(argv: readonly string[]): number | undefined {
  const i = argv.findIndex((a) => a === '--scale' || a.startsWith('--scale='))
  if (i < 0) return undefined
  const raw = argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1]
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new ConfigError(`--scale must be an integer 1..1000 (got ${raw ?? 'nothing'})`)
  return n
}

async function seedAws(config: Config, scale?: number): Promise<void> {
  const names = namesOf(config)
  log.info(
    {
      region: config.aws.region,
      dynamodb: config.aws.dynamodbEndpoint ?? 'AWS',
      s3: config.aws.s3Endpoint ?? 'AWS',
      ...names
    },
    'seeding AWS'
  )
  const clients = createAwsClients({
    region: config.aws.region,
    s3Endpoint: config.aws.s3Endpoint,
    dynamodbEndpoint: config.aws.dynamodbEndpoint,
    s3ForcePathStyle: config.aws.s3ForcePathStyle
  })
  try {
    if (scale !== undefined) {
      await seedScale(clients, names, scale, { log })
      return
    }
    const dataset = buildDemoDataset()
    log.info({ pads: dataset.pads.length, images: dataset.images.length, objects: dataset.objects.length }, 'built the demo dataset')
    await seed(clients, names, dataset, { log })
  } finally {
    clients.destroy()
  }
}

async function seedDataDir(config: Config, dataDir: string, scale?: number): Promise<void> {
  const names = namesOf(config)
  const embedded = await startEmbedded({
    dataDir,
    bucket: names.bucket,
    s3Port: config.embedded.s3Port,
    dynamodbPort: config.embedded.dynamodbPort,
    log
  })
  const clients = createAwsClients({
    region: config.aws.region,
    s3Endpoint: embedded.s3Endpoint,
    dynamodbEndpoint: embedded.dynamodbEndpoint,
    s3ForcePathStyle: true,
    credentials: embedded.credentials
  })
  try {
    if (scale !== undefined) {
      await seedScale(clients, names, scale, { log, putObjects: (objects) => embedded.writeObjects(objects) })
      return
    }
    const dataset = buildDemoDataset()
    log.info({ pads: dataset.pads.length, images: dataset.images.length, objects: dataset.objects.length }, 'built the demo dataset')
    await seed(clients, names, dataset, { log, putObjects: (objects) => embedded.writeObjects(objects) })
  } finally {
    clients.destroy()
    await embedded.close()
  }
}

async function main(): Promise<void> {
  let config: Config
  let scale: number | undefined
  try {
    config = loadConfig()
    scale = parseScale(process.argv.slice(2))
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`seed: ${err.message}`)
      process.exitCode = 1
      return
    }
    throw err
  }
  const started = Date.now()
  if (config.dataSource === 'aws') {
    await seedAws(config, scale)
  } else if (config.embedded.dataDir) {
    await seedDataDir(config, config.embedded.dataDir, scale)
  } else if (scale !== undefined) {
    console.error('seed: --scale needs somewhere to keep the archive: set DATA_DIR (embedded) or DATA_SOURCE=aws')
    process.exitCode = 1
    return
  } else {
    console.log(
      'seed: DATA_SOURCE=embedded seeds its in-memory emulators on every start, so there is nothing to do ' +
        '(set DATA_DIR to seed a persistent store, or DATA_SOURCE=aws for AWS / LocalStack).'
    )
    return
  }
  console.log(`seed: done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

main().catch((err: unknown) => {
  const e = err as { name?: string; message?: string; code?: string }
  let hint = ''
  if (e?.code === 'LEVEL_DATABASE_NOT_OPEN' || /lock/i.test(e?.message ?? '')) {
    hint = ' (is the server running with the same DATA_DIR?)'
  } else if (e?.name === 'CredentialsProviderError') {
    hint = ' (no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)'
  }
  console.error(`seed: failed: ${e?.name ?? 'Error'}: ${e?.message ?? String(err)}${hint}`)
  process.exitCode = 1
})
