import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { S3Client } from '@aws-sdk/client-s3'
import type { AwsCredentialIdentity } from '@aws-sdk/types'

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
  return {
    s3,
    dynamodb,
    doc,
    destroy() {
      doc.destroy()
      s3.destroy()
    }
  }
}
