/**
 * Schema keywords of our own, read by loadConfig and by scripts/generate-config-docs.ts, so a
 * default or a rule is written once: `x-allowed` is the allowed values in words (the error
 * message and the docs), `x-default-by-data-source` a default that depends on DATA_SOURCE.
 */
export const ALLOWED = 'x-allowed'
export const DEFAULT_BY_DATA_SOURCE = 'x-default-by-data-source'

/**
 * Defaults that depend on DATA_SOURCE. The embedded emulators share the server's CPU, so under
 * load they answer far slower than AWS does; real AWS gets tight timeouts. Behind a load balancer
 * the instance must keep serving until the balancer has seen /ready fail; the embedded demo has
 * no balancer, and Ctrl-C should stop it at once. The emulators want path-style S3 addressing.
 */
export const BY_DATA_SOURCE = {
  AWS_CONNECT_TIMEOUT_MS: { aws: 1000, embedded: 5000 },
  AWS_REQUEST_TIMEOUT_MS: { aws: 3000, embedded: 9000 },
  SHUTDOWN_DRAIN_MS: { aws: 5000, embedded: 0 },
  S3_FORCE_PATH_STYLE: { aws: false, embedded: true }
} as const
