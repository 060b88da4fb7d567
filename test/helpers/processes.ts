import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import type { SeedNames } from '../../demo/seed/seeder.js'

/** The parent's environment without npm's and tap's own variables (loaders, coverage hooks, config), for a child process. */
export function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'NODE_OPTIONS' || key === 'NODE_ENV' || /^(npm_|TAP|_TAPJS)/i.test(key)) continue
    env[key] = value
  }
  return env
}

export interface AwsModeTarget {
  region: string
  names: SeedNames
  s3Endpoint: string
  dynamodbEndpoint: string
  credentials: { accessKeyId: string; secretAccessKey: string }
  /** A path that does not exist: the child reads no AWS config or credentials file of this machine. */
  noAwsFiles: string
}

/**
 * The settings that point the app at DynamoDB and S3 endpoints of our own (emulators, a fault
 * proxy) with DATA_SOURCE=aws; one endpoint for both when the peer plays both services.
 */
export function awsEndpointEnv(endpoints: { s3Endpoint: string; dynamodbEndpoint: string } | string): Record<string, string> {
  const o = typeof endpoints === 'string' ? { s3Endpoint: endpoints, dynamodbEndpoint: endpoints } : endpoints
  return {
    DATA_SOURCE: 'aws',
    AWS_ENDPOINT_URL_S3: o.s3Endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: o.dynamodbEndpoint,
    S3_FORCE_PATH_STYLE: 'true'
  }
}

/** The variables a production deployment sets (docker-compose, the ECS task) to run with DATA_SOURCE=aws at the given store. */
export function awsModeEnv(o: AwsModeTarget): Record<string, string> {
  return {
    NODE_ENV: 'production',
    ...awsEndpointEnv(o),
    LOG_LEVEL: 'info',
    AWS_REGION: o.region,
    S3_BUCKET: o.names.bucket,
    IMAGES_TABLE: o.names.imagesTable,
    PADS_TABLE: o.names.padsTable,
    JOBS_TABLE: o.names.jobsTable,
    MEASUREMENTS_TABLE: o.names.measurementsTable,
    AWS_ACCESS_KEY_ID: o.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: o.credentials.secretAccessKey,
    AWS_CONFIG_FILE: o.noAwsFiles,
    AWS_SHARED_CREDENTIALS_FILE: o.noAwsFiles,
    AWS_EC2_METADATA_DISABLED: 'true'
  }
}

/** Whether a process with this pid exists (signal 0 sends nothing; EPERM: it exists, as another user's). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** A loopback port that was free a moment ago, for a server that must be told its port up front. */
export async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  server.close()
  await once(server, 'close')
  return port
}

export interface TcpSocketRow {
  /** Linux socket state: 0A is LISTEN. */
  state: string
  /** Unread bytes; for a LISTEN socket, the connections waiting in its accept queue. */
  rxQueue: number
}

/** The sockets of this machine on a local port (Linux /proc/net/tcp), or undefined where there is no such table. */
export function tcpSockets(port: number): TcpSocketRow[] | undefined {
  let table: string
  try {
    table = readFileSync('/proc/net/tcp', 'utf8')
  } catch {
    return undefined
  }
  const local = `:${port.toString(16).toUpperCase().padStart(4, '0')}`
  const rows: TcpSocketRow[] = []
  for (const line of table.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/)
    // cols[1] is the local address, cols[3] the state, cols[4] tx_queue:rx_queue.
    if (cols.length < 5 || !cols[1]!.endsWith(local)) continue
    rows.push({ state: cols[3]!, rxQueue: parseInt(cols[4]!.split(':')[1]!, 16) })
  }
  return rows
}
