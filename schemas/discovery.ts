import { Type, type Static } from '@sinclair/typebox'
import { PeriodParam, SectorParam, SiteParam, StringEnum, apiTag } from './common.js'

export const DiscoveryTag = apiTag('Discovery', 'Navigate site → sector → period → pad.')

export const SiteListSchema = Type.Array(Type.String(), {
  $id: 'SiteList',
  description: 'Site ids, sorted ascending.',
  examples: [['leyte', 'upper-rhine']]
})
export type SiteList = Static<typeof SiteListSchema>

export const SectorListSchema = Type.Array(Type.String(), {
  $id: 'SectorList',
  description: 'Sector ids of a site, sorted ascending.',
  examples: [['mahanagdong-a', 'mahanagdong-b', 'malitbog', 'tongonan']]
})
export type SectorList = Static<typeof SectorListSchema>

export const PeriodListSchema = Type.Array(Type.String(), {
  $id: 'PeriodList',
  description: 'Survey periods (`YYYYMMDD` or `YYYYMMDD-SUFFIX`), newest first.',
  examples: [['20250228', '20241231-PMSB', '20241230', '20241115']]
})
export type PeriodList = Static<typeof PeriodListSchema>

export const PositionSchema = Type.Array(Type.Number(), {
  $id: 'Position',
  minItems: 2,
  maxItems: 3,
  description: 'A GeoJSON position (RFC 7946 §3.1.1): longitude, latitude and optionally altitude in metres.',
  examples: [[124.635123, 11.165456]]
})
export type Position = Static<typeof PositionSchema>

export const PadSchema = Type.Object(
  {
    pad_id: Type.String({ examples: ['leyte_tongonan_PAD_105'] }),
    pad_name: Type.String({ examples: ['105'] }),
    geo_location_area: Type.Array(Type.Ref(PositionSchema), {
      description: 'Closed boundary ring of the pad, `[longitude, latitude]` pairs.'
    })
  },
  { $id: 'Pad', additionalProperties: false, description: 'A well pad and its boundary.' }
)
export type Pad = Static<typeof PadSchema>

export const PadListSchema = Type.Array(Type.Ref(PadSchema), {
  $id: 'PadList',
  description: 'Pads of a sector, in natural order of `pad_name` (2 before 10).'
})
export type PadList = Static<typeof PadListSchema>

export const SectorsQuerySchema = Type.Object({ site: SiteParam }, { additionalProperties: false })
export type SectorsQuery = Static<typeof SectorsQuerySchema>

export const PeriodsQuerySchema = Type.Object({ site: SiteParam, sector: SectorParam }, { additionalProperties: false })
export type PeriodsQuery = Static<typeof PeriodsQuerySchema>

export const PAD_FORMATS = ['json', 'geojson'] as const

export const PadsQuerySchema = Type.Object(
  {
    site: SiteParam,
    sector: SectorParam,
    period: Type.Optional(
      Type.String({
        ...PeriodParam,
        description:
          'When given, only pads whose optical and medical mosaics are both complete for this period (each has `odm_orthophoto.tif` and `shots.geojson`).'
      })
    ),
    format: Type.Optional(
      StringEnum(PAD_FORMATS, {
        default: 'json',
        description:
          '`json` (the pad list), or `geojson`: a FeatureCollection of the pad rings, with the survey’s figures when `period` is given.'
      })
    )
  },
  { additionalProperties: false }
)
export type PadsQuery = Static<typeof PadsQuerySchema>
