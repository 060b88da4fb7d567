import t from 'tap'
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3'
import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import jpegJs from 'jpeg-js'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAwsClients } from '../src/aws/clients.js'
import { buildDemoDataset, DEMO, insheimShotsPath } from '../demo/seed/demo-dataset.js'
import { cameraHeadingAndTilt, nadirRotationVector, toUtm } from '../demo/seed/geo.js'
import { seed } from '../demo/seed/seeder.js'
import { scaleChunks, scaleSpec } from '../bench/scale-dataset.js'
import { datasetHash } from './helpers/dataset-hash.js'
import { emulatorsWithClients } from './helpers/emulators.js'

const names = {
  bucket: 'thermal-viewer-seed-test',
  imagesTable: 'seed-test-images',
  padsTable: 'seed-test-pads',
  jobsTable: 'seed-test-jobs',
  measurementsTable: 'seed-test-measurements'
}

const { emulators: embedded, clients } = await emulatorsWithClients(t, { names, region: 'ap-southeast-1' })
// Closed here, then again by the helper's teardown: close() is idempotent.
t.teardown(() => embedded.close())

const dataset = buildDemoDataset()
const result = await seed(clients, names, dataset, { putObjects: (objects) => embedded.writeObjects(objects) })

type Item = Record<string, any>

async function bytes(key: string): Promise<Uint8Array> {
  const out = await clients.s3.send(new GetObjectCommand({ Bucket: names.bucket, Key: key }))
  return out.Body!.transformToByteArray()
}

async function queryAll(input: ConstructorParameters<typeof QueryCommand>[0]): Promise<Item[]> {
  const items: Item[] = []
  let ExclusiveStartKey: Record<string, unknown> | undefined
  do {
    const out = await clients.doc.send(new QueryCommand({ ...input, ExclusiveStartKey }))
    items.push(...((out.Items ?? []) as Item[]))
    ExclusiveStartKey = out.LastEvaluatedKey
  } while (ExclusiveStartKey)
  return items
}

/** Every key in the bucket, following continuation tokens (no Delimiter: s3rver's are unreliable). */
async function listAllKeys(): Promise<{ keys: Set<string>; pages: number }> {
  const keys = new Set<string>()
  let token: string | undefined
  let pages = 0
  do {
    const out = await clients.s3.send(new ListObjectsV2Command({ Bucket: names.bucket, ContinuationToken: token }))
    pages++
    for (const o of out.Contents ?? []) keys.add(o.Key!)
    token = out.IsTruncated ? out.NextContinuationToken : undefined
  } while (token)
  return { keys, pages }
}

/** Reads the first IFD of a little-endian TIFF into tag → values. */
function tiffTags(buf: Uint8Array): Map<number, number[]> {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  const ifd = view.getUint32(4, true)
  const n = view.getUint16(ifd, true)
  const tags = new Map<number, number[]>()
  const size: Record<number, number> = { 2: 1, 3: 2, 4: 4, 5: 8, 12: 8 }
  for (let i = 0; i < n; i++) {
    const at = ifd + 2 + i * 12
    const tag = view.getUint16(at, true)
    const type = view.getUint16(at + 2, true)
    const count = view.getUint32(at + 4, true)
    const total = (size[type] ?? 1) * count
    const base = total > 4 ? view.getUint32(at + 8, true) : at + 8
    const values: number[] = []
    for (let k = 0; k < count; k++) {
      if (type === 3) values.push(view.getUint16(base + k * 2, true))
      else if (type === 4) values.push(view.getUint32(base + k * 4, true))
      else if (type === 12) values.push(view.getFloat64(base + k * 8, true))
      else if (type === 2) values.push(view.getUint8(base + k))
      else if (type === 5) values.push(view.getUint32(base + k * 8, true) / view.getUint32(base + k * 8 + 4, true))
    }
    tags.set(tag, values)
  }
  return tags
}

t.test('seeding writes every item and object of the dataset', async (t) => {
  t.same(result, {
    pads: dataset.pads.length,
    images: dataset.images.length,
    jobs: dataset.jobs.length,
    measurements: dataset.measurements?.length,
    objects: dataset.objects.length
  })
})

// docs/demo-dataset.md, the DEMO ids and the README's API examples all describe this exact dataset,
// so a refactoring of the builders must not change one item or one byte: any change to the
// dataset is deliberate and updates this hash (and docs/demo-dataset.md) in the same commit.
// The hash moves whenever a builder step changes the demo data on purpose; docs/demo-dataset.md says what is there.
const DEMO_DATASET_SHA256 = '84db2c4cf8ceb9a0fe42157fde3abef68b73c8d6097a0109d640b7baec394e08'
// The first survey of the scale archive holds the benchmark target, identical at every scale.
const SCALE_FIRST_SURVEY_SHA256 = '2b78aebf912f114b99f1b85b4738af2cb72db50e1bb93c62dab39f998657cbed'

t.test('the demo dataset is exactly the documented one', async (t) => {
  t.equal(datasetHash([dataset]), DEMO_DATASET_SHA256)
  t.equal(datasetHash([buildDemoDataset()]), DEMO_DATASET_SHA256, 'deterministic')
})

t.test('the first survey of the scale archive is unchanged', async (t) => {
  const first = scaleChunks(scaleSpec(1)).next()
  t.equal(first.done, false)
  if (!first.done) t.equal(datasetHash([first.value]), SCALE_FIRST_SURVEY_SHA256)
})

t.test('tables have the PRD keys and GSIs', async (t) => {
  const describe = async (name: string) => (await clients.dynamodb.send(new DescribeTableCommand({ TableName: name }))).Table!
  const images = await describe(names.imagesTable)
  t.same(images.KeySchema, [{ AttributeName: 'image_id', KeyType: 'HASH' }])
  t.equal(images.GlobalSecondaryIndexes?.length, 1)
  t.equal(images.GlobalSecondaryIndexes![0]!.IndexName, 'SiteSectorPeriodIndex')
  t.same(images.GlobalSecondaryIndexes![0]!.KeySchema, [
    { AttributeName: 'site_id', KeyType: 'HASH' },
    { AttributeName: 'sector_period', KeyType: 'RANGE' }
  ])
  t.equal(images.GlobalSecondaryIndexes![0]!.Projection?.ProjectionType, 'ALL')
  t.equal(images.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST')

  const pads = await describe(names.padsTable)
  t.same(pads.KeySchema, [{ AttributeName: 'pad_id', KeyType: 'HASH' }])
  t.equal(pads.GlobalSecondaryIndexes![0]!.IndexName, 'SiteSectorDateIndex')
  t.same(pads.GlobalSecondaryIndexes![0]!.KeySchema, [
    { AttributeName: 'site_sector', KeyType: 'HASH' },
    { AttributeName: 'effective_date', KeyType: 'RANGE' }
  ])
  t.equal(pads.GlobalSecondaryIndexes![0]!.Projection?.ProjectionType, 'ALL')

  const jobs = await describe(names.jobsTable)
  t.same(jobs.KeySchema, [{ AttributeName: 'job_id', KeyType: 'HASH' }])
  t.equal(jobs.GlobalSecondaryIndexes, undefined)
  const scanned = await clients.doc.send(new ScanCommand({ TableName: names.jobsTable, Select: 'COUNT' }))
  t.equal(scanned.Count, dataset.jobs.length)
})

t.test('SiteSectorPeriodIndex returns the tongonan 20241230 images', async (t) => {
  const items = await queryAll({
    TableName: names.imagesTable,
    IndexName: 'SiteSectorPeriodIndex',
    KeyConditionExpression: 'site_id = :site AND sector_period = :sp',
    ExpressionAttributeValues: { ':site': 'leyte', ':sp': 'tongonan#20241230' }
  })
  const expected = dataset.images.filter((i) => i.site_id === 'leyte' && i.sector_period === 'tongonan#20241230')
  t.equal(items.length, expected.length)
  t.same(new Set(items.map((i) => i.image_id)), new Set(expected.map((i) => i.image_id)))
  const perPad: Record<string, number> = {}
  for (const i of items) perPad[i.pad_id] = (perPad[i.pad_id] ?? 0) + 1
  t.same(perPad, {
    leyte_tongonan_PAD_105: 32,
    leyte_tongonan_PAD_10: 20,
    leyte_tongonan_PAD_2: 20,
    'leyte_tongonan_PAD_tgn-ss1': 12
  })

  // The periods of tongonan are all discoverable through the index.
  for (const period of ['20250228', '20241231-PMSB', '20241230', '20241115']) {
    const out = await clients.doc.send(
      new QueryCommand({
        TableName: names.imagesTable,
        IndexName: 'SiteSectorPeriodIndex',
        KeyConditionExpression: 'site_id = :site AND sector_period = :sp',
        ExpressionAttributeValues: { ':site': 'leyte', ':sp': `tongonan#${period}` },
        Limit: 1
      })
    )
    t.equal(out.Items?.length, 1, `tongonan#${period} has images`)
  }

  const insheim = await queryAll({
    TableName: names.imagesTable,
    IndexName: 'SiteSectorPeriodIndex',
    KeyConditionExpression: 'site_id = :site AND sector_period = :sp',
    ExpressionAttributeValues: { ':site': 'upper-rhine', ':sp': 'insheim#20250629' }
  })
  t.equal(insheim.length, 394)
})

t.test('the PRD example image, the uncalibrated one and the one without hotspot_alert', async (t) => {
  const get = async (id: string) =>
    (await clients.doc.send(new GetCommand({ TableName: names.imagesTable, Key: { image_id: id } }))).Item as Item
  const prd = await get(DEMO.prdImageId)
  t.match(prd, {
    image_id: 'leyte_tongonan_20241230_0379',
    site_id: 'leyte',
    sector_id: 'tongonan',
    period: '20241230',
    pad_id: 'leyte_tongonan_PAD_105',
    sector_period: 'tongonan#20241230',
    optical_filename: 'DJI_0380_W.JPG',
    thermal_filename: 'DJI_0381_T.JPG',
    optical_s3_key: 'images/leyte/tongonan/20241230/DJI_0380_W.JPG',
    thermal_s3_key: 'images/leyte/tongonan/20241230/DJI_0381_T.JPG'
  })
  t.same(prd.colored_images, {
    medical: 'colored/leyte/tongonan/20241230/DJI_0381_T_medical.JPG',
    hotspot_alert: 'colored/leyte/tongonan/20241230/DJI_0381_T_hotspot_alert.JPG'
  })
  t.same(prd.optical_metadata, { gps_location: { latitude: 11.165456, longitude: 124.635123, altitude: 445.5 } })
  t.same(prd.thermal_metadata, {
    temperature_min: 22.7,
    temperature_max: 131.6,
    temperature_avg: 27.89,
    emissivity: 1,
    object_distance: 5,
    reflected_temperature: 25,
    ambient_temperature: 20,
    relative_humidity: 70
  })
  t.same(prd.calibration, {
    status: 'calibrated',
    params: { emissivity: 0.92, distance: 25, reflection: 25, ambient_temp: 25, humidity: 50 },
    temperature_delta: { max_calibrated: 145.3, avg_calibrated: 28.54 }
  })
  t.same(prd.processing_status, {
    mosaic_prep: {
      included_in: ['optical', 'medical', 'hotspot_alert'],
      mosaic_s3_keys: {
        optical: 'mosaics/leyte/tongonan/20241230/leyte_tongonan_PAD_105/optical/viewer',
        medical: 'mosaics/leyte/tongonan/20241230/leyte_tongonan_PAD_105/medical/viewer',
        hotspot_alert: 'mosaics/leyte/tongonan/20241230/leyte_tongonan_PAD_105/hotspot_alert/viewer'
      }
    },
    // The span its survey's medical palette was normalised to (demo/seed/line-loss-demo.ts).
    colormapping: { medical: { temperature_stats: prd.processing_status.colormapping.medical.temperature_stats } }
  })

  const uncalibrated = await get(DEMO.uncalibratedImageId)
  t.same(uncalibrated.calibration, { status: 'not_calibrated' })
  t.equal(uncalibrated.pad_id, 'leyte_tongonan_PAD_105')

  const noHotspot = await get(DEMO.noHotspotImageId)
  t.same(Object.keys(noHotspot.colored_images), ['medical'])
  const missingKey = (noHotspot.colored_images.medical as string).replace('_medical.JPG', '_hotspot_alert.JPG')
  await t.rejects(clients.s3.send(new HeadObjectCommand({ Bucket: names.bucket, Key: missingKey })), { name: 'NotFound' })
})

t.test('pads: GSI partition with quirky items', async (t) => {
  const pads = await queryAll({
    TableName: names.padsTable,
    IndexName: 'SiteSectorDateIndex',
    KeyConditionExpression: 'site_sector = :ss',
    ExpressionAttributeValues: { ':ss': 'leyte_tongonan' }
  })
  const byId = new Map(pads.map((p) => [p.pad_id as string, p]))
  t.same([...byId.keys()].sort(), [
    'leyte_tongonan_PAD_10',
    'leyte_tongonan_PAD_105',
    'leyte_tongonan_PAD_2',
    'leyte_tongonan_PAD_orphan',
    'leyte_tongonan_PAD_tgn-ss1'
  ])
  t.same(byId.get('leyte_tongonan_PAD_105')!.geo_location_area, [
    [124.635123, 11.165456],
    [124.635789, 11.165456],
    [124.635789, 11.166123],
    [124.635123, 11.166123],
    [124.635123, 11.165456]
  ])
  t.match(byId.get('leyte_tongonan_PAD_105'), { site: 'leyte', sector: 'tongonan', pad_name: '105', effective_date: '20200101' })
  t.match(byId.get('leyte_tongonan_PAD_10'), { site_id: 'leyte', sector_id: 'tongonan', pad_name: '10' })
  t.notOk('site' in byId.get('leyte_tongonan_PAD_10')!)
  t.notOk('pad_name' in byId.get('leyte_tongonan_PAD_2')!)
  const orphan = byId.get(DEMO.orphanPadId)!
  t.notOk('site' in orphan || 'site_id' in orphan)
  for (const p of pads) {
    const ring = p.geo_location_area as number[][]
    t.same(ring[0], ring[ring.length - 1], `${p.pad_id} polygon is closed`)
  }
})

t.test('every referenced object exists', async (t) => {
  const { keys, pages } = await listAllKeys()
  t.ok(pages >= 3, `listing paginated over ${pages} pages`)
  t.equal(keys.size, dataset.objects.length)
  const missing: string[] = []
  for (const image of dataset.images as Item[]) {
    const refs = [image.optical_s3_key, image.thermal_s3_key, ...Object.values(image.colored_images ?? {})] as string[]
    for (const key of refs) if (!keys.has(key)) missing.push(key)
    const prefixes = Object.values<string>(image.processing_status?.mosaic_prep?.mosaic_s3_keys ?? {})
    for (const prefix of prefixes) {
      for (const file of ['odm_orthophoto.tif', 'shots.geojson']) {
        if (!keys.has(`${prefix}/${file}`)) missing.push(`${prefix}/${file}`)
      }
    }
  }
  t.same(missing, [])

  // Completeness for tongonan 20241230: optical + medical mosaics, both files.
  const complete = (pad: string) =>
    ['optical', 'medical'].every((type) =>
      ['odm_orthophoto.tif', 'shots.geojson'].every((f) => keys.has(`mosaics/leyte/tongonan/20241230/${pad}/${type}/viewer/${f}`))
    )
  t.ok(complete('leyte_tongonan_PAD_105'))
  t.ok(complete('leyte_tongonan_PAD_2'))
  t.ok(complete('leyte_tongonan_PAD_10'))
  t.notOk(complete('leyte_tongonan_PAD_tgn-ss1'))
  t.ok(keys.has('mosaics/leyte/tongonan/20241230/leyte_tongonan_PAD_tgn-ss1/optical/viewer/shots.geojson'))
  t.ok(keys.has('mosaics/leyte/tongonan/20241230/leyte_tongonan_PAD_105/hotspot_alert/viewer/odm_orthophoto.tif'))
})

t.test('GeoTIFF orthophotos are tiled UTM RGBA over the pad: a COG for PAD_105, ODM defaults elsewhere', async (t) => {
  const tif = await bytes('mosaics/leyte/tongonan/20241230/leyte_tongonan_PAD_105/optical/viewer/odm_orthophoto.tif')
  t.same([...tif.subarray(0, 4)], [0x49, 0x49, 0x2a, 0x00], 'begins with II*\\0')
  const tags = tiffTags(tif)
  const [width = 0, height = 0] = [tags.get(256)![0], tags.get(257)![0]]
  t.ok(width >= 2000 && width <= 4000 && height >= 2000 && height <= 4000, `${width} × ${height} px`)
  t.same(tags.get(258), [8, 8, 8, 8], 'RGBA, 8 bits')
  t.same(tags.get(259), [8], 'DEFLATE')
  t.same(tags.get(317), [2], 'horizontal predictor')
  t.same(tags.get(338), [2], 'unassociated alpha')
  t.same([tags.get(322)![0], tags.get(323)![0]], [256, 256], 'COG blocks')
  t.ok(new DataView(tif.buffer, tif.byteOffset).getUint32(8 + 2 + tags.size * 12, true) > 0, 'overview IFDs follow')
  const [sx = 0, sy = 0] = tags.get(33550)!
  t.ok(sx >= 0.03 && sx <= 0.05 && sx === sy, `${sx} m pixels`)
  const [, , , west = 0, north = 0] = tags.get(33922)!
  const sw = toUtm(124.635123, 11.165456, 51)
  const ne = toUtm(124.635789, 11.166123, 51)
  t.ok(
    west < sw.easting && west + sx * width > ne.easting && north > ne.northing && north - sy * height < sw.northing,
    'covers the pad polygon'
  )
  const keysDir = tags.get(34735)!
  t.same(keysDir.slice(0, 4), [1, 1, 0, 4])
  t.same(keysDir.slice(12, 16), [3072, 0, 1, 32651], 'EPSG:32651')

  const odm = tiffTags(await bytes('mosaics/leyte/tongonan/20241230/leyte_tongonan_PAD_10/medical/viewer/odm_orthophoto.tif'))
  t.same([odm.get(322)![0], odm.get(323)![0]], [512, 512], "ODM's default blocks")
})

t.test('JPEGs are complete and decodable; presigned GET works with fetch', async (t) => {
  const key = 'images/leyte/tongonan/20241230/DJI_0380_W.JPG'
  const jpg = await bytes(key)
  t.same([...jpg.subarray(0, 2)], [0xff, 0xd8], 'SOI')
  t.same([...jpg.subarray(-2)], [0xff, 0xd9], 'EOI')
  const decoded = jpegJs.decode(jpg, { useTArray: true })
  t.same([decoded.width, decoded.height], [64, 48])

  const medical = jpegJs.decode(await bytes('colored/leyte/tongonan/20241230/DJI_0381_T_medical.JPG'), { useTArray: true })
  t.same([medical.width, medical.height], [80, 64])

  const url = await getSignedUrl(clients.s3, new GetObjectCommand({ Bucket: names.bucket, Key: key }), { expiresIn: 300 })
  t.match(url, /X-Amz-Signature=/)
  const res = await fetch(url, { headers: { Origin: 'http://localhost:5173' } })
  t.equal(res.status, 200)
  t.equal(res.headers.get('content-type'), 'image/jpeg')
  t.equal(res.headers.get('access-control-allow-origin'), '*', 'CORS lets any page read it')
  t.same(new Uint8Array(await res.arrayBuffer()), jpg)
})

t.test('shots.geojson: ODM shape, nadir poses, thermal names, unmatched frames', async (t) => {
  const prefix = 'mosaics/leyte/tongonan/20241230/leyte_tongonan_PAD_105'
  const optical = JSON.parse(new TextDecoder().decode(await bytes(`${prefix}/optical/viewer/shots.geojson`)))
  t.equal(optical.type, 'FeatureCollection')
  t.equal(optical.features.length, 32 + DEMO.unmatchedShotFilenames.length)
  const imageFilenames = new Set((dataset.images as Item[]).map((i) => i.optical_filename))
  const unmatched = optical.features.map((f: Item) => f.properties.filename).filter((f: string) => !imageFilenames.has(f))
  t.same(unmatched, [...DEMO.unmatchedShotFilenames])

  const prdShot = optical.features.find((f: Item) => f.properties.filename === 'DJI_0380_W.JPG')
  t.same(prdShot.geometry, { type: 'Point', coordinates: [124.635123, 11.165456, 445.5] })
  t.match(prdShot.properties, { camera: String, focal: Number, width: 2048, height: 1536, capture_time: Number })
  const [easting = 0, northing = 0] = prdShot.properties.translation
  t.ok(Math.abs(easting - 678549.3) < 1 && Math.abs(northing - 1234767.5) < 1, 'UTM 51N translation')

  for (const f of optical.features as Item[]) {
    const { heading, offNadir } = cameraHeadingAndTilt(f.properties.rotation)
    t.ok(offNadir < 3, `${f.properties.filename} looks down (${offNadir.toFixed(1)}°)`)
    // PAD_105's legs run east-west.
    const fromEastWest = Math.min(Math.abs(heading - 90), Math.abs(heading - 270))
    t.ok(fromEastWest < 8, `${f.properties.filename} heading ${heading.toFixed(1)}° follows its leg`)
  }
  t.same(nadirRotationVector(0), [Math.PI, 0, 0], 'heading 0 ⇔ [π, 0, 0]')

  const medical = JSON.parse(new TextDecoder().decode(await bytes(`${prefix}/medical/viewer/shots.geojson`)))
  t.equal(medical.features.length, 32)
  t.ok(medical.features.every((f: Item) => /^DJI_\d{4}_T\.JPG$/.test(f.properties.filename)))
  const hotspot = JSON.parse(new TextDecoder().decode(await bytes(`${prefix}/hotspot_alert/viewer/shots.geojson`)))
  t.equal(hotspot.features.length, 31, 'the image without a hotspot_alert rendering is not in that mosaic')

  const insheimKey = `mosaics/upper-rhine/insheim/${DEMO.insheimPeriod}/${DEMO.insheimPadId}/optical/viewer/shots.geojson`
  t.same(Buffer.from(await bytes(insheimKey)), readFileSync(insheimShotsPath()), 'Insheim optical shots are the real file')
})

t.test('re-seeding through PutObject is idempotent', async (t) => {
  const subset = {
    pads: dataset.pads.slice(0, 2),
    images: dataset.images.slice(0, 3),
    jobs: dataset.jobs.slice(0, 1),
    objects: dataset.objects.slice(0, 20)
  }
  const again = await seed(clients, names, subset)
  t.same(again, { pads: 2, images: 3, jobs: 1, measurements: 0, objects: 20 })
  const first = subset.objects[0]!
  t.same(await bytes(first.key), first.body)
  const head = await clients.s3.send(new HeadObjectCommand({ Bucket: names.bucket, Key: first.key }))
  t.equal(head.ContentType, first.contentType)
  const { keys } = await listAllKeys()
  t.equal(keys.size, dataset.objects.length, 'nothing duplicated')
})

t.test('a bucket the credentials may not use: the seed fails naming the bucket and the 403, not "UnknownError"', async (t) => {
  // An S3 endpoint that denies everything, as S3 does for a bucket of another account.
  const denying = createServer((req, res) => {
    res.writeHead(403, { 'content-type': 'application/xml' })
    res.end(req.method === 'HEAD' ? undefined : '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>')
  })
  await new Promise<void>((resolve) => denying.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => denying.close(() => resolve())))
  const port = (denying.address() as AddressInfo).port
  const denied = createAwsClients({
    region: 'ap-southeast-1',
    s3Endpoint: `http://127.0.0.1:${port}`,
    dynamodbEndpoint: embedded.dynamodbEndpoint,
    s3ForcePathStyle: true,
    credentials: embedded.credentials
  })
  t.teardown(() => denied.destroy())
  await t.rejects(seed(denied, { ...names, bucket: 'someone-elses-bucket' }, dataset), {
    message:
      'bucket someone-elses-bucket: access denied (HTTP 403): it belongs to another account, these credentials may not use it ' +
      '(s3:ListBucket), or they are wrong or expired (or the clock is off)'
  })
})
