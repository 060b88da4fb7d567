import t from 'tap'
import { ID_MAX_LENGTH, OBJECT_ID_PATTERN, PERIOD_PATTERN, SITE_PATTERN } from '../../schemas/common.js'
import { completePads } from '../../src/domain/completeness.js'
import { mosaicPrefix, orthophotoKey, periodPrefix, shotsKey, InvalidKeyPartError } from '../../src/domain/keys.js'
import { naturalCompare } from '../../src/domain/natural-sort.js'
import { normalisePad, padNameFromId } from '../../src/domain/pads.js'

t.test('natural order puts 2 before 10 before 105 before names', async (t) => {
  t.same(['tgn-ss1', '105', '10', '2', 'A1', 'a2'].sort(naturalCompare), ['2', '10', '105', 'A1', 'a2', 'tgn-ss1'])
})

t.test('pad items: site_id/sector_id fallbacks, derived names, rejects', async (t) => {
  const area = [
    [124.6, 11.1],
    [124.7, 11.1],
    [124.7, 11.2],
    [124.6, 11.1]
  ]
  t.same(normalisePad({ pad_id: 'leyte_tongonan_PAD_105', site: 'leyte', sector: 'tongonan', pad_name: '105', geo_location_area: area }), {
    pad: { pad_id: 'leyte_tongonan_PAD_105', pad_name: '105', geo_location_area: area }
  })
  t.same(normalisePad({ pad_id: 'leyte_tongonan_PAD_10', site_id: 'leyte', sector_id: 'tongonan' }), {
    pad: { pad_id: 'leyte_tongonan_PAD_10', pad_name: '10', geo_location_area: [] }
  })
  t.same(normalisePad({ pad_id: 'leyte_tongonan_PAD_x', sector: 'tongonan' }), { rejected: 'missing site and site_id' })
  t.same(normalisePad({ pad_id: 'leyte_tongonan_PAD_x', site: 'leyte' }), { rejected: 'missing sector and sector_id' })
  t.same(normalisePad({ site: 'leyte', sector: 'tongonan' }), { rejected: 'missing pad_id' })
  t.equal(padNameFromId('leyte_tongonan_PAD_tgn-ss1'), 'tgn-ss1')
  t.equal(padNameFromId('no-marker'), 'no-marker')
})

t.test('keys are built only from validated parts', async (t) => {
  const loc = { site: 'leyte', sector: 'tongonan', period: '20241230', pad_id: 'leyte_tongonan_PAD_105' }
  t.equal(orthophotoKey(loc, 'optical'), 'mosaics/leyte/tongonan/20241230/leyte_tongonan_PAD_105/optical/viewer/odm_orthophoto.tif')
  t.equal(shotsKey(loc, 'medical'), 'mosaics/leyte/tongonan/20241230/leyte_tongonan_PAD_105/medical/viewer/shots.geojson')
  t.equal(periodPrefix('leyte', 'tongonan', '20241231-PMSB'), 'mosaics/leyte/tongonan/20241231-PMSB/')
  t.throws(() => mosaicPrefix({ ...loc, pad_id: '../x' }, 'optical'), InvalidKeyPartError)
  t.throws(() => mosaicPrefix({ ...loc, pad_id: 'a..b' }, 'optical'), InvalidKeyPartError)
  t.throws(() => mosaicPrefix({ ...loc, site: 'a/b' }, 'optical'), InvalidKeyPartError)
  t.throws(() => mosaicPrefix({ ...loc, period: '2024' }, 'optical'), InvalidKeyPartError)
  t.throws(() => mosaicPrefix(loc, 'thermal' as never), InvalidKeyPartError)
  t.throws(() => periodPrefix('leyte', 'tongonan', `20241230-${'x'.repeat(33)}`), InvalidKeyPartError, 'a period suffix is at most 32')
})

t.test('every id allow-list is bounded, and its maxLength is the longest value it admits', async (t) => {
  const longest: [string, string, number][] = [
    ['site', SITE_PATTERN, ID_MAX_LENGTH.site],
    ['period', PERIOD_PATTERN, ID_MAX_LENGTH.period],
    ['object id', OBJECT_ID_PATTERN, ID_MAX_LENGTH.object]
  ]
  for (const [name, pattern, max] of longest) {
    const re = new RegExp(pattern)
    const at = name === 'period' ? `20241230-${'P'.repeat(max - 9)}` : 'a'.repeat(max)
    t.equal(at.length, max)
    t.ok(re.test(at), `${name}: ${max} characters pass`)
    t.notOk(re.test(`${at}x`), `${name}: ${max + 1} do not`)
  }
})

t.test('completeness: optical and medical each need the orthophoto and the shots', async (t) => {
  const prefix = 'mosaics/leyte/tongonan/20241230/'
  const files = (pad: string, type: string, names = ['odm_orthophoto.tif', 'shots.geojson']) =>
    names.map((n) => `${prefix}${pad}/${type}/viewer/${n}`)
  const keys = [
    ...files('P1', 'optical'),
    ...files('P1', 'medical'),
    ...files('P2', 'optical'),
    ...files('P2', 'medical', ['odm_orthophoto.tif']),
    ...files('P3', 'optical'),
    ...files('P3', 'hotspot_alert'),
    ...files('P4', 'optical'),
    ...files('P4', 'medical'),
    `${prefix}P4/optical/viewer/odm_report.pdf`,
    'mosaics/leyte/tongonan/20241231/P5/optical/viewer/shots.geojson'
  ]
  t.same([...completePads(prefix, keys)].sort(), ['P1', 'P4'])
  t.same([...completePads(prefix, [])], [])
})
