import { NoSuchBucket, NoSuchKey, NotFound, S3ServiceException } from '@aws-sdk/client-s3'
import t from 'tap'
import { isMissingObject } from '../../src/aws/s3-errors.js'

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode }, message: 'm' })

t.test('a missing key, however S3 says it, is a missing object', async (t) => {
  t.ok(isMissingObject(new NoSuchKey(meta(404))), 'GetObject: NoSuchKey')
  t.ok(isMissingObject(new NotFound(meta(404))), 'HeadObject: NotFound')
  const bare = new S3ServiceException({ name: 'Unknown', $fault: 'client', ...meta(404) })
  t.ok(isMissingObject(bare), 'a HEAD 404 without an error code')
})

t.test('a missing bucket and other faults are not', async (t) => {
  t.notOk(isMissingObject(new NoSuchBucket(meta(404))), 'a misconfigured bucket must surface as a fault')
  t.notOk(isMissingObject(new S3ServiceException({ name: 'AccessDenied', $fault: 'client', ...meta(403) })))
  t.notOk(isMissingObject(new S3ServiceException({ name: 'InternalError', $fault: 'server', ...meta(500) })))
  t.notOk(isMissingObject(new Error('socket hang up')))
  t.notOk(isMissingObject(undefined))
})
