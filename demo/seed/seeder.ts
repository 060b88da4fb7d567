import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type TableDescription
} from '@aws-sdk/client-dynamodb'
import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
  type BucketLocationConstraint,
  type S3Client
} from '@aws-sdk/client-s3'
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { DemoDataset, DemoObject } from './demo-dataset.js'
import { SITE_SECTOR_PERIOD_INDEX } from '../../src/data/images-repository.js'
import { SITE_SECTOR_INDEX } from '../../src/data/pads-repository.js'
import { SITE_SECTOR_PERIOD_PAD_INDEX } from '../../src/data/measurements-repository.js'

/**
 * Writes a dataset into DynamoDB and S3: creates the four tables (PRD keys and
 * GSIs) and the bucket when missing, batch-writes the items and uploads the
 * objects. Idempotent: items and objects are overwritten, existing tables and
 * buckets are left as they are. Works against the embedded emulators, LocalStack
 * and real AWS.
 */

export interface SeedLogger {
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
}

export interface SeedClients {
  s3: S3Client
  dynamodb: DynamoDBClient
  doc: DynamoDBDocumentClient
}

export interface SeedNames {
  bucket: string
  imagesTable: string
  padsTable: string
  jobsTable: string
  measurementsTable: string
}

export interface SeedOptions {
  log?: SeedLogger
  /** Create missing tables and the bucket (default true). */
  createResources?: boolean
  /**
   * Replaces the PutObject uploads, e.g. with the embedded emulator's
   * `writeObjects`, which stores objects without going through HTTP.
   */
  putObjects?: (objects: DemoObject[]) => Promise<unknown>
  /** Parallel PutObject requests (default 16). */
  uploadConcurrency?: number
}

export interface SeedResult {
  pads: number
  images: number
  jobs: number
  measurements: number
  objects: number
}

const BATCH_SIZE = 25
const MAX_BATCH_ATTEMPTS = 10

/** A table keyed by `key`, with one all-projecting GSI on (`hash`, `range`); every attribute a string. */
function tableWithIndex(table: string, key: string, index: string, hash: string, range: string): CreateTableCommandInput {
  return {
    TableName: table,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [key, hash, range].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: index,
        KeySchema: [
          { AttributeName: hash, KeyType: 'HASH' },
          { AttributeName: range, KeyType: 'RANGE' }
        ],
        Projection: { ProjectionType: 'ALL' }
      }
    ]
  }
}

/** Table definitions exactly as in PRD §5.1–5.2 (jobs: `job_id` only). */
export function tableDefinitions(names: SeedNames): CreateTableCommandInput[] {
  return [
    tableWithIndex(names.imagesTable, 'image_id', SITE_SECTOR_PERIOD_INDEX, 'site_id', 'sector_period'),
    tableWithIndex(names.padsTable, 'pad_id', SITE_SECTOR_INDEX, 'site_sector', 'effective_date'),
    {
      TableName: names.jobsTable,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'job_id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'job_id', KeyType: 'HASH' }]
    },
    {
      TableName: names.measurementsTable,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'measurement_id', AttributeType: 'S' },
        { AttributeName: 'site_id', AttributeType: 'S' },
        { AttributeName: 'sector_period_pad', AttributeType: 'S' }
      ],
      KeySchema: [{ AttributeName: 'measurement_id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: SITE_SECTOR_PERIOD_PAD_INDEX,
          KeySchema: [
            { AttributeName: 'site_id', KeyType: 'HASH' },
            { AttributeName: 'sector_period_pad', KeyType: 'RANGE' }
          ],
          Projection: { ProjectionType: 'ALL' }
        }
      ]
    }
  ]
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function errorName(err: unknown): string {
  return (err as { name?: string } | null)?.name ?? ''
}

function httpStatus(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode
}

async function describeTable(dynamodb: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await dynamodb.send(new DescribeTableCommand({ TableName: name }))).Table
  } catch (err) {
    if (err instanceof ResourceNotFoundException || errorName(err) === 'ResourceNotFoundException') return undefined
    throw err
  }
}

function isReady(t: TableDescription | undefined): boolean {
  return t?.TableStatus === 'ACTIVE' && (t.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE')
}

/** Warns when an existing table's keys differ from the definition (it is never altered). */
function checkSchema(def: CreateTableCommandInput, table: TableDescription, log?: SeedLogger): void {
  const keys = (ks: { AttributeName?: string; KeyType?: string }[] | undefined) =>
    (ks ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(',')
  const problems: string[] = []
  if (keys(def.KeySchema) !== keys(table.KeySchema)) problems.push(`key schema ${keys(table.KeySchema)}`)
  for (const gsi of def.GlobalSecondaryIndexes ?? []) {
    const found = table.GlobalSecondaryIndexes?.find((g) => g.IndexName === gsi.IndexName)
    if (!found) problems.push(`missing index ${gsi.IndexName}`)
    else if (keys(found.KeySchema) !== keys(gsi.KeySchema)) problems.push(`index ${gsi.IndexName} keys ${keys(found.KeySchema)}`)
  }
  if (problems.length > 0) {
    log?.warn({ table: def.TableName, problems }, 'existing table does not match the expected schema; left unchanged')
  }
}

async function ensureTable(dynamodb: DynamoDBClient, def: CreateTableCommandInput, log?: SeedLogger): Promise<void> {
  const name = def.TableName!
  let table = await describeTable(dynamodb, name)
  if (table) {
    checkSchema(def, table, log)
  } else {
    try {
      await dynamodb.send(new CreateTableCommand(def))
      log?.info({ table: name }, 'created table')
    } catch (err) {
      // Someone else created it meanwhile.
      if (!(err instanceof ResourceInUseException || errorName(err) === 'ResourceInUseException')) throw err
    }
  }
  // Real DynamoDB takes a few seconds to make a new table (and its indexes) ACTIVE.
  const deadline = Date.now() + 5 * 60_000
  let delay = 200
  while (!isReady(table)) {
    if (Date.now() > deadline) throw new Error(`table ${name} did not become ACTIVE in time`)
    if (table) await sleep(delay)
    delay = Math.min(delay * 2, 5000)
    table = await describeTable(dynamodb, name)
  }
}

async function ensureBucket(s3: S3Client, bucket: string, log?: SeedLogger): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }))
    return
  } catch (err) {
    const status = httpStatus(err)
    // A HEAD response has no body, so the SDK can only say "UnknownError"; say what a 403 means here.
    if (status === 403) {
      throw new Error(
        `bucket ${bucket}: access denied (HTTP 403): it belongs to another account, these credentials may not use it ` +
          '(s3:ListBucket), or they are wrong or expired (or the clock is off)',
        { cause: err }
      )
    }
    if (status !== 404 && errorName(err) !== 'NotFound' && errorName(err) !== 'NoSuchBucket') throw err
  }
  const region = await s3.config.region()
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        ...(region && region !== 'us-east-1'
          ? { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }
          : {})
      })
    )
    log?.info({ bucket }, 'created bucket')
  } catch (err) {
    if (errorName(err) === 'BucketAlreadyOwnedByYou') return
    throw err
  }
  // Only a bucket created here gets a CORS rule: browsers GET presigned URLs of it.
  try {
    await s3.send(
      new PutBucketCorsCommand({
        Bucket: bucket,
        CORSConfiguration: {
          CORSRules: [
            {
              AllowedOrigins: ['*'],
              AllowedMethods: ['GET', 'HEAD'],
              AllowedHeaders: ['*'],
              ExposeHeaders: ['Accept-Ranges', 'Content-Length', 'Content-Range', 'Content-Type', 'ETag'],
              MaxAgeSeconds: 3000
            }
          ]
        }
      })
    )
  } catch (err) {
    log?.warn({ bucket, err: String(err) }, 'could not set the bucket CORS rule')
  }
}

/** Runs `fn` over `items` with at most `limit` in flight; stops at the first error. */
async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0
  let failed = false
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++
      try {
        await fn(items[i]!, i)
      } catch (err) {
        failed = true
        throw err
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

async function writeItems(doc: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[], concurrency = 4): Promise<void> {
  const chunks: Record<string, unknown>[][] = []
  for (let i = 0; i < items.length; i += BATCH_SIZE) chunks.push(items.slice(i, i + BATCH_SIZE))
  await forEachLimit(chunks, concurrency, async (chunk) => {
    let requests = chunk.map((Item) => ({ PutRequest: { Item } }))
    for (let attempt = 1; requests.length > 0; attempt++) {
      if (attempt > MAX_BATCH_ATTEMPTS) {
        throw new Error(`${table}: ${requests.length} items still unprocessed after ${MAX_BATCH_ATTEMPTS} attempts`)
      }
      if (attempt > 1) await sleep(Math.min(50 * 2 ** attempt, 3000) * (0.5 + Math.random()))
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }))
      requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests
    }
  })
}

async function uploadObjects(s3: S3Client, bucket: string, objects: DemoObject[], concurrency: number, log?: SeedLogger) {
  const started = Date.now()
  let done = 0
  let reported = started
  await forEachLimit(objects, concurrency, async (o) => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: o.key, Body: o.body, ContentType: o.contentType }))
    done++
    if (Date.now() - reported > 2000) {
      reported = Date.now()
      log?.info({ done, total: objects.length }, 'uploading objects')
    }
  })
}

export async function seed(clients: SeedClients, names: SeedNames, dataset: DemoDataset, opts: SeedOptions = {}): Promise<SeedResult> {
  const log = opts.log
  const started = Date.now()

  if (opts.createResources ?? true) {
    await Promise.all([
      ...tableDefinitions(names).map((def) => ensureTable(clients.dynamodb, def, log)),
      ensureBucket(clients.s3, names.bucket, log)
    ])
    log?.info(
      {
        tables: [names.imagesTable, names.padsTable, names.jobsTable, names.measurementsTable],
        bucket: names.bucket,
        ms: Date.now() - started
      },
      'tables and bucket ready'
    )
  }

  const uploads = opts.putObjects
    ? opts.putObjects(dataset.objects)
    : uploadObjects(clients.s3, names.bucket, dataset.objects, opts.uploadConcurrency ?? 16, log)
  // Items and objects go in parallel: one waits on DynamoDB, the other on S3.
  const writes = (async () => {
    await writeItems(clients.doc, names.padsTable, dataset.pads)
    await writeItems(clients.doc, names.jobsTable, dataset.jobs)
    await writeItems(clients.doc, names.measurementsTable, dataset.measurements ?? [])
    await writeItems(clients.doc, names.imagesTable, dataset.images)
  })()
  await Promise.all([uploads, writes])

  const result = {
    pads: dataset.pads.length,
    images: dataset.images.length,
    jobs: dataset.jobs.length,
    measurements: dataset.measurements?.length ?? 0,
    objects: dataset.objects.length
  }
  log?.info({ ...result, ms: Date.now() - started }, 'seeded demo data')
  return result
}
