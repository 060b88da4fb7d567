/**
 * Whether an S3 error says the key does not exist. A HEAD response has no body,
 * so its 404 can arrive without an error code; a missing bucket is a
 * misconfiguration, never a missing object.
 */
export function isMissingObject(err: unknown): boolean {
  const e = (err ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } }
  if (e.name === 'NoSuchKey' || e.name === 'NotFound') return true
  return e.name !== 'NoSuchBucket' && e.$metadata?.httpStatusCode === 404
}
