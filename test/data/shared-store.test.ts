import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import t from 'tap'
import { loadConfig } from '../../src/config.js'
import { buildTestApp } from '../helpers/app.js'

/**
 * The demo store every test file shares is read-only: a write fails in the test
 * that makes it, instead of changing what the other files read.
 */
const names = loadConfig({}).aws
const app = await buildTestApp(t)
const ID = 'leyte_tongonan_20241230_0379'
const KEY = 'images/leyte/tongonan/20241230/DJI_0380_W.JPG'

t.test('reads pass', async (t) => {
  const item = await app.aws.doc.send(new GetCommand({ TableName: names.imagesTable, Key: { image_id: ID } }))
  t.equal(item.Item?.image_id, ID)
  const object = await app.aws.s3.send(new GetObjectCommand({ Bucket: names.bucket, Key: KEY }))
  t.ok((await object.Body!.transformToByteArray()).length > 0)
})

t.test('DynamoDB writes are refused', async (t) => {
  const refused = { name: 'AccessDeniedException', message: /shared demo store is read-only \(DynamoDB PutItem\)/ }
  await t.rejects(app.aws.doc.send(new PutCommand({ TableName: names.imagesTable, Item: { image_id: 'x' } })), refused)
  await t.rejects(app.aws.doc.send(new DeleteCommand({ TableName: names.imagesTable, Key: { image_id: ID } })), {
    name: 'AccessDeniedException'
  })
  const item = await app.aws.doc.send(new GetCommand({ TableName: names.imagesTable, Key: { image_id: ID } }))
  t.equal(item.Item?.image_id, ID, 'still there')
})

t.test('S3 writes are refused', async (t) => {
  await t.rejects(app.aws.s3.send(new PutObjectCommand({ Bucket: names.bucket, Key: 'x', Body: 'x' })), { name: 'AccessDenied' })
  await t.rejects(app.aws.s3.send(new DeleteObjectCommand({ Bucket: names.bucket, Key: KEY })), { name: 'AccessDenied' })
  const object = await app.aws.s3.send(new GetObjectCommand({ Bucket: names.bucket, Key: KEY }))
  t.equal(object.$metadata.httpStatusCode, 200, 'still there')
})
