import type { DatasetBuilder } from './dataset-builder.js'
import { offsetLonLat } from './geo.js'
import { rectangle, type LonLat } from './flight-geometry.js'
import { PAD_QUIRKS, padQuirk } from './messy-cases.js'
import { padIdOf, padRecord, type PadDef } from './records.js'

/** A Leyte pad: its item, plus what its flights need to know. */
export interface LeytePad extends PadDef {
  /** Direction of the long axis (degrees clockwise from north): flight legs follow it. */
  axis: number
  /** Ground elevation (m above sea level). */
  ground: number
}

const PAD_105_CENTER: LonLat = [(124.635123 + 124.635789) / 2, (11.165456 + 11.166123) / 2]
const near = (east: number, north: number, from: LonLat = PAD_105_CENTER): LonLat => offsetLonLat(from[0], from[1], east, north)
const MAHANAGDONG: LonLat = [124.6862, 11.1049]
const MALITBOG: LonLat = [124.6631, 11.1402]

/** PAD_105 has the PRD's polygon; the others are rectangles around the field's real sectors. */
export const LEYTE_PADS: readonly LeytePad[] = [
  {
    site: 'leyte',
    sector: 'tongonan',
    name: '105',
    polygon: [
      [124.635123, 11.165456],
      [124.635789, 11.165456],
      [124.635789, 11.166123],
      [124.635123, 11.166123],
      [124.635123, 11.165456]
    ],
    axis: 90,
    effectiveDate: '20200101',
    ground: 400.5
  },
  {
    site: 'leyte',
    sector: 'tongonan',
    name: 'tgn-ss1',
    polygon: rectangle(near(-420, 310), 58, 40, 35),
    axis: 35,
    effectiveDate: '20210615',
    ground: 388.2
  },
  {
    site: 'leyte',
    sector: 'tongonan',
    name: '2',
    polygon: rectangle(near(380, -260), 64, 46, 120),
    axis: 120,
    effectiveDate: '20200101',
    ground: 412.7
  },
  {
    site: 'leyte',
    sector: 'tongonan',
    name: '10',
    polygon: rectangle(near(150, 520), 70, 50, 75),
    axis: 75,
    effectiveDate: '20200101',
    ground: 421.3
  },
  {
    site: 'leyte',
    sector: 'tongonan',
    name: 'orphan',
    polygon: rectangle(near(-150, -480), 30, 30, 0),
    axis: 0,
    effectiveDate: '20190301',
    ground: 405
  },
  {
    site: 'leyte',
    sector: 'mahanagdong-a',
    name: 'MG-5D',
    polygon: rectangle(MAHANAGDONG, 66, 48, 20),
    axis: 20,
    effectiveDate: '20200101',
    ground: 561.4
  },
  {
    site: 'leyte',
    sector: 'mahanagdong-a',
    name: 'MG-22D',
    polygon: rectangle(near(520, -330, MAHANAGDONG), 60, 44, 155),
    axis: 155,
    effectiveDate: '20220301',
    ground: 548.9
  },
  {
    site: 'leyte',
    sector: 'mahanagdong-b',
    name: 'MG-14D',
    polygon: rectangle(near(-610, -720, MAHANAGDONG), 62, 50, 100),
    axis: 100,
    effectiveDate: '20200101',
    ground: 602.1
  },
  {
    site: 'leyte',
    sector: 'malitbog',
    name: 'MB-1',
    polygon: rectangle(MALITBOG, 70, 52, 60),
    axis: 60,
    effectiveDate: '20200101',
    ground: 318.6
  },
  {
    site: 'leyte',
    sector: 'malitbog',
    name: 'MB-3',
    polygon: rectangle(near(-380, 240, MALITBOG), 56, 42, 0),
    axis: 0,
    effectiveDate: '20230801',
    ground: 331.2
  }
]

export const leytePadId = (def: PadDef) => padIdOf(def.site, def.sector, def.name)

export function leytePad(sector: string, name: string): LeytePad {
  const def = LEYTE_PADS.find((p) => p.sector === sector && p.name === name)
  if (!def) throw new Error(`unknown pad ${sector}/${name}`)
  return def
}

export function leytePads(b: DatasetBuilder): void {
  const missing = PAD_QUIRKS.find((q) => !LEYTE_PADS.some((def) => leytePadId(def) === q.padId))
  if (missing) throw new Error(`demo layout drifted: no pad ${missing.padId}`)
  for (const def of LEYTE_PADS) b.pads.push(padRecord(def, padQuirk(leytePadId(def))))
}
