import { Type, type Static } from '@sinclair/typebox'
import { SiteParam } from './common.js'

export const CatalogSchema = Type.Object(
  {
    sites: Type.Array(
      Type.Object(
        {
          site: Type.String(),
          sectors: Type.Array(
            Type.Object(
              {
                sector: Type.String(),
                periods: Type.Array(
                  Type.Object(
                    {
                      period: Type.String(),
                      pads: Type.Array(Type.String(), { description: 'Pad ids with complete mosaics in the period, in natural order.' })
                    },
                    { additionalProperties: false }
                  ),
                  { description: 'Newest first, as `GET /api/periods`.' }
                )
              },
              { additionalProperties: false }
            ),
            { description: 'Ascending.' }
          )
        },
        { additionalProperties: false }
      ),
      { description: 'Ascending.' }
    )
  },
  {
    $id: 'Catalog',
    additionalProperties: false,
    description: 'Site → sector → period → complete pads, in one response.',
    examples: [
      {
        sites: [
          {
            site: 'upper-rhine',
            sectors: [{ sector: 'insheim', periods: [{ period: '20250629', pads: ['upper-rhine_insheim_PAD_A1'] }] }]
          }
        ]
      }
    ]
  }
)
export type Catalog = Static<typeof CatalogSchema>

export const CatalogQuerySchema = Type.Object(
  { site: Type.Optional(Type.String({ ...SiteParam, description: 'Only this site.' })) },
  { additionalProperties: false }
)
export type CatalogQuery = Static<typeof CatalogQuerySchema>
