/**
 * HEAT_LOSS_AMBIENT_C and HEAT_LOSS_EMISSIVITY: what the estimate uses for a survey whose images
 * recorded neither (every demo survey records both, so the survey index here has no images),
 * with the source `configuration`, and the built-in defaults otherwise.
 */
import t from 'tap'
import { ServiceCaches } from '../../src/cache/service-caches.js'
import { loadConfig } from '../../src/config.js'
import { buildSurvey } from '../../src/domain/survey.js'
import { HeatLossService } from '../../src/services/heat-loss-service.js'
import type { SurveyIndex } from '../../src/services/survey-index.js'
import { buildTestApp } from '../helpers/app.js'

const app = await buildTestApp(t)
const survey = { site: 'leyte', sector: 'tongonan', period: '20241230' }
const noImages = { get: async () => buildSurvey([]) } as unknown as SurveyIndex

async function estimate(env: Record<string, string>) {
  const config = loadConfig(env)
  const service = new HeatLossService(app.services.lineLoss, noImages, new ServiceCaches(), config.pipeDiametersM, config.heatLossFallbacks)
  return service.estimate({ log: app.log, calls: {} }, survey)
}

t.test('unset: the built-in defaults, said to be defaults', async (t) => {
  const result = await estimate({})
  t.match(result.inputs.ambient_c, { value: 25, source: 'default' })
  for (const pad of result.pads) t.match(pad.inputs.emissivity, { value: 0.9, source: 'default' })
})

t.test('configured: the configured values, said to come from the configuration', async (t) => {
  const result = await estimate({ HEAT_LOSS_AMBIENT_C: '31.5', HEAT_LOSS_EMISSIVITY: '0.3' })
  t.match(result.inputs.ambient_c, { value: 31.5, source: 'configuration', detail: /HEAT_LOSS_AMBIENT_C$/ })
  t.ok(result.pads.length > 0)
  for (const pad of result.pads) t.match(pad.inputs.emissivity, { value: 0.3, source: 'configuration', detail: /HEAT_LOSS_EMISSIVITY$/ })
})

t.test('out of range or not a number: start-up refuses it, naming the variable', async (t) => {
  for (const env of [{ HEAT_LOSS_AMBIENT_C: '61' }, { HEAT_LOSS_EMISSIVITY: '1.5' }, { HEAT_LOSS_EMISSIVITY: 'shiny' }]) {
    t.throws(() => loadConfig(env), { name: 'ConfigError', message: new RegExp(Object.keys(env)[0]!) })
  }
})
