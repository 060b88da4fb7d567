import fp from 'fastify-plugin'
import type { FastifyInstance, RouteOptions } from 'fastify'
import { CACHE_POLICIES, ROUTE_ACCESS, type RouteEntry } from '../route-facts.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route of the app that is not public (API, probes, metrics), in registration order. */
    routeEntries: () => readonly RouteEntry[]
  }
}

interface RouteSchema {
  tags?: string[]
  querystring?: { properties?: Record<string, unknown> }
}

/**
 * Collects every route's facts (src/route-facts.ts) as it is registered, and at
 * start-up refuses any route without a valid `access`, so a route cannot be
 * added without saying who may call it. Registered before every other plugin,
 * so it sees every route.
 */
async function routeFacts(app: FastifyInstance) {
  const routes: RouteOptions[] = []

  app.addHook('onRoute', (route) => {
    // CORS preflights (@fastify/cors's OPTIONS route) carry no credentials by design.
    if (route.method === 'OPTIONS' && route.config?.access === undefined) {
      route.config = { ...route.config, access: 'public' }
    }
    routes.push(route)
  })

  // Checked once every plugin has added its routes: a scope may set its routes' facts
  // in its own onRoute hook, which runs after this one (the docs UI does).
  app.addHook('onReady', async () => {
    for (const route of routes) {
      const { access, cache } = route.config ?? {}
      const name = `${String(route.method)} ${route.url}`
      if (access === undefined || !ROUTE_ACCESS.includes(access)) {
        throw new Error(`route ${name} must declare config.access (one of ${ROUTE_ACCESS.join(', ')})`)
      }
      if (cache !== undefined && !CACHE_POLICIES.includes(cache)) {
        throw new Error(`route ${name} has an unknown config.cache '${String(cache)}' (one of ${CACHE_POLICIES.join(', ')})`)
      }
    }
  })

  let entries: RouteEntry[] | undefined
  app.decorate('routeEntries', () => {
    entries ??= routes
      .filter((route) => route.config?.access !== 'public' && route.method !== 'HEAD' && route.method !== 'OPTIONS')
      .map((route) => {
        const schema = (route.schema ?? {}) as RouteSchema
        return {
          method: String(route.method),
          url: route.url,
          group: (schema.tags?.[0] ?? 'other').toLowerCase().replace(/\s+/g, '-'),
          query: Object.keys(schema.querystring?.properties ?? {})
        }
      })
    return entries
  })
}

export default fp(routeFacts, { name: 'route-facts', fastify: '5.x' })
