/** The user pool and app client the JWT tests sign for, as Cognito names them. */
export const POOL = 'ap-southeast-1_TestPool1'
export const ISSUER = `https://cognito-idp.ap-southeast-1.amazonaws.com/${POOL}`
export const CLIENT = 'viewerclient123'

/** AUTH_MODE=jwt for the test pool with its keys at `jwksUrl`; with `client`, only tokens of CLIENT are accepted. */
export function jwtEnv(jwksUrl: string, o: { client?: boolean } = {}): Record<string, string> {
  return {
    AUTH_MODE: 'jwt',
    COGNITO_USER_POOL_ID: POOL,
    ...(o.client ? { COGNITO_CLIENT_ID: CLIENT } : {}),
    COGNITO_JWKS_URL: jwksUrl
  }
}
