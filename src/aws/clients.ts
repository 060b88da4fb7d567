import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { S3Client } from '@aws-sdk/client-s3'
import type { AwsCredentialIdentity } from '@smithy/types'
import { AwsCallCounter, countCalls } from './call-counter.js'

export interface AwsClientOptions {
  region: string
  s3Endpoint?: string
  dynamodbEndpoint?: string
  s3ForcePathStyle: boolean
  /** Fixed credentials, used for the embedded emulators; otherwise the SDK's default chain. */
  credentials?: AwsCredentialIdentity
}

export interface AwsClients {
  s3: S3Client
  dynamodb: DynamoDBClient
  doc: DynamoDBDocumentClient
  /** Round trips made through these clients, by operation. */
  calls: AwsCallCounter
  destroy(): void
}

export function createAwsClients(opts: AwsClientOptions): AwsClients {
  const s3 = new S3Client({
    region: opts.region,
    endpoint: opts.s3Endpoint,
    forcePathStyle: opts.s3ForcePathStyle,
    credentials: opts.credentials,
    // Flexible checksums are only sent when an operation requires them: S3-compatible
    // stores (s3rver, older MinIO) reject the CRC32 trailers the SDK adds by default.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED'
  })
  const dynamodb = new DynamoDBClient({
    region: opts.region,
    endpoint: opts.dynamodbEndpoint,
    credentials: opts.credentials
  })
  const doc = DynamoDBDocumentClient.from(dynamodb, {
    marshallOptions: { removeUndefinedValues: true }
  })
  const calls = new AwsCallCounter()
  countCalls(s3.middlewareStack, 'S3', calls)
  // The document client sends through the base client's stack, so one counter covers both.
  countCalls(dynamodb.middlewareStack, 'DynamoDB', calls)
  return {
    s3,
    dynamodb,
    doc,
    calls,
    destroy() {
      doc.destroy()
      s3.destroy()
    }
  }
}
