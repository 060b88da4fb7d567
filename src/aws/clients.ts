import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { S3Client } from '@aws-sdk/client-s3'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import type { AwsCredentialIdentity } from '@smithy/types'
import { AwsCallCounter, countCalls } from './call-counter.js'

interface AwsHttpOptions {
  connectTimeoutMs: number
  requestTimeoutMs: number
  maxAttempts: number
  maxSockets: number
}

const DEFAULT_AWS_HTTP: AwsHttpOptions = { connectTimeoutMs: 1000, requestTimeoutMs: 3000, maxAttempts: 3, maxSockets: 64 }

interface AwsClientOptions {
  region: string
  s3Endpoint?: string
  dynamodbEndpoint?: string
  s3ForcePathStyle: boolean
  /** Fixed credentials, used for the embedded emulators; otherwise the SDK's default chain. */
  credentials?: AwsCredentialIdentity
  http?: AwsHttpOptions
  /** Shared counter, so one /metrics series covers every client set of the process. */
  calls?: AwsCallCounter
}

export interface AwsClients {
  s3: S3Client
  dynamodb: DynamoDBClient
  doc: DynamoDBDocumentClient
  /** Round trips made through these clients, by operation. */
  calls: AwsCallCounter
  destroy(): void
}

/**
 * Explicit timeouts: without them a hung socket holds a request until the ALB
 * gives up. Keep-alive sockets avoid a TCP+TLS handshake per call.
 */
function requestHandler(http: AwsHttpOptions): NodeHttpHandler {
  const agentOptions = { keepAlive: true, maxSockets: http.maxSockets }
  return new NodeHttpHandler({
    connectionTimeout: http.connectTimeoutMs,
    requestTimeout: http.requestTimeoutMs,
    throwOnRequestTimeout: true,
    httpAgent: new HttpAgent(agentOptions),
    httpsAgent: new HttpsAgent(agentOptions)
  })
}

export function createAwsClients(opts: AwsClientOptions): AwsClients {
  const http = opts.http ?? DEFAULT_AWS_HTTP
  const s3 = new S3Client({
    region: opts.region,
    endpoint: opts.s3Endpoint,
    forcePathStyle: opts.s3ForcePathStyle,
    credentials: opts.credentials,
    maxAttempts: http.maxAttempts,
    retryMode: 'standard',
    requestHandler: requestHandler(http),
    // Flexible checksums are only sent when an operation requires them: S3-compatible
    // stores (s3rver, older MinIO) reject the CRC32 trailers the SDK adds by default.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED'
  })
  const dynamodb = new DynamoDBClient({
    region: opts.region,
    endpoint: opts.dynamodbEndpoint,
    credentials: opts.credentials,
    maxAttempts: http.maxAttempts,
    retryMode: 'standard',
    requestHandler: requestHandler(http)
  })
  const doc = DynamoDBDocumentClient.from(dynamodb, {
    marshallOptions: { removeUndefinedValues: true }
  })
  const calls = opts.calls ?? new AwsCallCounter()
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
