/**
 * A new resource group costs only its own files: a route that declares its facts
 * in `config` is listed in the index, cached and guarded without any other edit.
 * The group here is registered the way app.ts registers every group.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import t from 'tap'
import { apiTag, awsErrorResponses, notModifiedResponse } from '../../schemas/common.js'
import { buildApp } from '../../src/app.js'
import { sha256Hex } from '../../src/plugins/auth.js'
import type { RouteAccess } from '../../src/route-facts.js'
import { testAppOptions } from '../helpers/app.js'

const ThrowawayTag = apiTag('Throwaway', 'A group that exists only in this test.')
const CountSchema = Type.Object({ n: Type.Integer() }, { additionalProperties: false })

function throwawayGroup(access: RouteAccess | undefined, cache: 'data' | undefined, document304 = cache !== undefined) {
  const group: FastifyPluginAsyncTypebox = async (app) => {
    app.get(
      '/api/throwaway',
      {
        config: { ...(access ? { access } : {}), ...(cache ? { cache } : {}) },
        schema: {
          operationId: 'getThrowaway',
          summary: 'A throwaway count',
          tags: [ThrowawayTag.name],
          querystring: Type.Object({ site: Type.Optional(Type.String()) }, { additionalProperties: false }),
          response: { 200: CountSchema, ...(document304 ? notModifiedResponse : {}), ...awsErrorResponses }
        }
      },
      async () => ({ n: 42 })
    )
  }
  return group
}

async function appWith(t: { teardown(fn: () => unknown): void }, group: FastifyPluginAsyncTypebox, env: Record<string, string> = {}) {
  const app = await buildApp(await testAppOptions(t, { MAX_EVENT_LOOP_DELAY_MS: '0', ...env }))
  t.teardown(() => app.close())
  await app.register(group)
  await app.ready()
  return app
}

t.test('its route is in the index, with its query', async (t) => {
  const app = await appWith(t, throwawayGroup('api', 'data'))
  const index = (await app.inject({ url: '/' })).json<{ endpoints: Record<string, string[]> }>()
  t.same(index.endpoints.throwaway, ['GET /api/throwaway?site={site}'])
})

t.test('its cache headers come from config.cache', async (t) => {
  const app = await appWith(t, throwawayGroup('api', 'data'))
  const first = await app.inject({ url: '/api/throwaway' })
  t.equal(first.statusCode, 200)
  t.same(first.json(), { n: 42 })
  t.equal(first.headers['cache-control'], 'public, max-age=60')
  t.match(first.headers.etag, /^W\/"/)
  const again = await app.inject({ url: '/api/throwaway', headers: { 'if-none-match': first.headers.etag as string } })
  t.equal(again.statusCode, 304)
})

t.test('its auth comes from config.access', async (t) => {
  const env = { AUTH_MODE: 'api-key', API_KEY_HASHES: sha256Hex('a-long-enough-test-key') }
  const guarded = await appWith(t, throwawayGroup('api', 'data'), env)
  t.equal((await guarded.inject({ url: '/api/throwaway' })).statusCode, 401)
  t.equal((await guarded.inject({ url: '/api/throwaway', headers: { 'x-api-key': 'a-long-enough-test-key' } })).statusCode, 200)
  const open = await appWith(t, throwawayGroup('public', undefined), env)
  t.equal((await open.inject({ url: '/api/throwaway' })).statusCode, 200, 'a public route needs no key')
  t.equal((await open.inject({ url: '/api/throwaway' })).headers.etag, undefined, 'and without config.cache no ETag')
})

t.test('its OpenAPI tag is described without a list elsewhere', async (t) => {
  const app = await appWith(t, throwawayGroup('api', 'data'))
  const doc = (await app.inject({ url: '/openapi.json' })).json<{ tags: { name: string; description: string }[] }>()
  t.same(
    doc.tags.find((tag) => tag.name === 'Throwaway'),
    { name: 'Throwaway', description: 'A group that exists only in this test.' }
  )
})

t.test('a route without its facts, or with facts its schema contradicts, stops the start-up', async (t) => {
  await t.rejects(appWith(t, throwawayGroup(undefined, undefined)), /GET \/api\/throwaway must declare config.access/)
  await t.rejects(appWith(t, throwawayGroup('api', 'data', false)), /declares config.cache 'data' but its schema does not document 304/)
  await t.rejects(appWith(t, throwawayGroup('api', undefined, true)), /documents a 304 but declares no config.cache/)
})
