import { Type } from '@sinclair/typebox'
import { HEAT_LOSS_DEFAULTS, HEAT_LOSS_LIMITS } from '../../schemas/heat-loss.js'
import { ALLOWED } from './keywords.js'

// The inputs of the heat-loss estimate that a deployment knows and the data may not (docs/heat-loss.md).

const SITE_KEY = '[A-Za-z0-9][A-Za-z0-9_-]{0,63}'

export const heatLossEnv = {
  HEAT_LOSS_PIPE_DIAMETERS_M: Type.Optional(
    Type.String({
      pattern: `^${SITE_KEY}(/${SITE_KEY})?=\\d+(\\.\\d+)?(,${SITE_KEY}(/${SITE_KEY})?=\\d+(\\.\\d+)?)*$`,
      [ALLOWED]: `comma-separated site=metres or site/sector=metres (${HEAT_LOSS_LIMITS.pipe_diameter_m.minimum} to ${HEAT_LOSS_LIMITS.pipe_diameter_m.maximum}), e.g. leyte/tongonan=0.6,leyte=0.4`,
      description:
        "Outer diameter of the pipes' cladding by site or site/sector (the more specific wins), for the heat loss of measurements that store none. Unset: no diameter, and such pads' figures are null."
    })
  ),
  HEAT_LOSS_AMBIENT_C: Type.Optional(
    Type.Number({
      ...HEAT_LOSS_LIMITS.ambient_c,
      description: `Air temperature (°C) of a survey whose images recorded none (source \`configuration\`). Unset: ${HEAT_LOSS_DEFAULTS.ambient_c} °C (source \`default\`).`
    })
  ),
  HEAT_LOSS_EMISSIVITY: Type.Optional(
    Type.Number({
      ...HEAT_LOSS_LIMITS.emissivity,
      description: `Emissivity of the cladding of a pad whose images carry no calibration emissivity (source \`configuration\`). Unset: ${HEAT_LOSS_DEFAULTS.emissivity}, painted or jacketed cladding (source \`default\`); bare or aluminium cladding is far lower.`
    })
  )
}
