import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3'
import { tally } from '../aws/call-counter.js'
import type { CallContext } from '../call-context.js'

/** The cheapest calls that show each data store answers: DescribeTable per table, HeadBucket. */
export class StoreProbes {
  constructor(
    private readonly dynamodb: DynamoDBClient,
    private readonly s3: S3Client,
    private readonly tables: readonly string[],
    private readonly bucket: string
  ) {}

  async describeTables(ctx: CallContext): Promise<void> {
    await Promise.all(
      this.tables.map((TableName) => this.dynamodb.send(tally(new DescribeTableCommand({ TableName }), 'DynamoDB', ctx.calls)))
    )
  }

  async headBucket(ctx: CallContext): Promise<void> {
    await this.s3.send(tally(new HeadBucketCommand({ Bucket: this.bucket }), 'S3', ctx.calls))
  }
}
