import closeWithGrace from 'close-with-grace'
import { buildApp, buildMetricsApp } from './app.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import type { EmbeddedDataSource } from './plugins/aws.js'

/** The configuration from the environment, or a one-line reason and exit 1. */
export function configOrExit(): Config {
  try {
    return loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`configuration error: ${err.message}\n`)
      process.exit(1)
    }
    throw err
  }
}

export interface ServeOptions {
  config: Config
  /** The demo's data (demo/server.ts); production (DATA_SOURCE=aws) has none. */
  embedded?: EmbeddedDataSource
}

/** Builds the app, listens, and shuts down gracefully: the one place that listens. */
export async function serve({ config, embedded }: ServeOptions): Promise<void> {
  let app: Awaited<ReturnType<typeof buildApp>> | undefined
  let metricsApp: Awaited<ReturnType<typeof buildMetricsApp>> | undefined

  // Registered before start-up, so a SIGTERM while the app is still starting also exits cleanly.
  // A second signal exits at once (close-with-grace), and so does the grace period running out.
  closeWithGrace({ delay: config.http.shutdownGraceMs }, async ({ signal, err }) => {
    if (err) {
      if (app) app.log.error({ err }, 'closing after an uncaught error')
      else console.error('closing after an uncaught error during start-up', err)
    } else app?.log.info({ signal }, 'closing')
    // A signal starts the lame duck's drain (SHUTDOWN_DRAIN_MS); it resolves once the
    // window has passed and the last response is written.
    if (signal && app?.server.listening) await app.lameDuck.drain()
    await metricsApp?.close()
    await app?.close()
  })

  try {
    app = await buildApp({ config, embedded })
    await app.listen({ port: config.port, host: config.host })
    if (config.metrics.enabled && config.metrics.port !== undefined) {
      metricsApp = await buildMetricsApp({ config, registry: app.metrics.registry })
      await metricsApp.listen({ port: config.metrics.port, host: config.host })
    }
    if (config.dataSource === 'embedded') {
      app.log.info(
        `embedded demo data ready: try http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}${config.basePath}/docs`
      )
    }
  } catch (err) {
    // A plugin that fails to load (DATA_DIR in use, an emulator port taken) leaves no app and so no logger;
    // a port already taken fails listen, with the app's logger. Either error says what to fix.
    if (app) app.log.error({ err }, 'failed to start')
    else console.error('failed to start:', err)
    process.exit(1)
  }
}

// The production entry point (the image's CMD): DATA_SOURCE=aws. The demo's data is not in
// this build, so DATA_SOURCE=embedded (the default for `npm start`) is a configuration error here.
if (import.meta.main) {
  const config = configOrExit()
  if (config.dataSource === 'embedded') {
    process.stderr.write('configuration error: DATA_SOURCE=embedded is the demo, served by `npm start`; set DATA_SOURCE=aws\n')
    process.exit(1)
  }
  await serve({ config })
}
