/**
 * A compact baseline JPEG encoder (JFIF, YCbCr 4:4:4, the standard Annex K
 * quantisation and Huffman tables). Written for the small demo frames: unlike
 * jpeg-js, whose encoder rebuilds 64k-entry lookup tables on every call (~30 ms),
 * everything here is set up once, so a 80×64 frame encodes in well under a millisecond.
 */

const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57,
  50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63
]

const LUMA_QUANT = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22,
  37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99
]
const CHROMA_QUANT = [
  17,
  18,
  24,
  47,
  99,
  99,
  99,
  99,
  18,
  21,
  26,
  66,
  99,
  99,
  99,
  99,
  24,
  26,
  56,
  99,
  99,
  99,
  99,
  99,
  47,
  66,
  99,
  99,
  99,
  99,
  99,
  99,
  ...new Array<number>(32).fill(99)
]

interface HuffmanSpec {
  /** Number of codes of each length 1..16. */
  bits: number[]
  values: number[]
}

const AC_LUMA_VALUES = [
  0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1,
  0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26,
  0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56,
  0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85,
  0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa,
  0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6,
  0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9,
  0xfa
]
const AC_CHROMA_VALUES = [
  0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42,
  0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19,
  0x1a, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55,
  0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83,
  0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8,
  0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4,
  0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9,
  0xfa
]

const DC_LUMA: HuffmanSpec = { bits: [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }
const DC_CHROMA: HuffmanSpec = { bits: [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }
const AC_LUMA: HuffmanSpec = { bits: [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d], values: AC_LUMA_VALUES }
const AC_CHROMA: HuffmanSpec = { bits: [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77], values: AC_CHROMA_VALUES }

interface HuffmanTable {
  code: Uint16Array
  length: Uint8Array
}

/** Canonical code assignment (ITU T.81 Annex C). */
function buildTable(spec: HuffmanSpec): HuffmanTable {
  const code = new Uint16Array(256)
  const length = new Uint8Array(256)
  let next = 0
  let k = 0
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < (spec.bits[len - 1] ?? 0); i++) {
      const symbol = spec.values[k++]!
      code[symbol] = next++
      length[symbol] = len
    }
    next <<= 1
  }
  return { code, length }
}

const TABLES = {
  dcLuma: buildTable(DC_LUMA),
  acLuma: buildTable(AC_LUMA),
  dcChroma: buildTable(DC_CHROMA),
  acChroma: buildTable(AC_CHROMA)
}

/** c[u * 8 + x] = C(u)/2 · cos((2x + 1)uπ / 16): the separable 8-point DCT-II basis. */
const DCT = new Float64Array(64)
for (let u = 0; u < 8; u++) {
  for (let x = 0; x < 8; x++) {
    DCT[u * 8 + x] = ((u === 0 ? Math.SQRT1_2 : 1) / 2) * Math.cos(((2 * x + 1) * u * Math.PI) / 16)
  }
}

function scaledQuant(base: number[], quality: number): number[] {
  const q = Math.min(100, Math.max(1, Math.round(quality)))
  const scale = q < 50 ? 5000 / q : 200 - q * 2
  return base.map((v) => Math.min(255, Math.max(1, Math.floor((v * scale + 50) / 100))))
}

class BitWriter {
  private bytes: number[] = []
  private acc = 0
  private count = 0

  write(code: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((code >> i) & 1)
      if (++this.count === 8) this.flushByte()
    }
  }

  private flushByte(): void {
    this.bytes.push(this.acc)
    if (this.acc === 0xff) this.bytes.push(0) // byte stuffing
    this.acc = 0
    this.count = 0
  }

  /** Pads the last byte with 1-bits and returns the entropy-coded segment. */
  finish(): number[] {
    if (this.count > 0) this.write((1 << (8 - this.count)) - 1, 8 - this.count)
    return this.bytes
  }
}

function bitLength(v: number): number {
  let n = 0
  let a = Math.abs(v)
  while (a > 0) {
    n++
    a >>= 1
  }
  return n
}

function encodeBlock(out: BitWriter, block: Float64Array, quant: number[], prevDc: number, dc: HuffmanTable, ac: HuffmanTable): number {
  // Forward DCT of the level-shifted block, then quantise into zig-zag order.
  const tmp = new Float64Array(64)
  for (let v = 0; v < 8; v++) {
    for (let x = 0; x < 8; x++) {
      let s = 0
      for (let y = 0; y < 8; y++) s += DCT[v * 8 + y]! * block[y * 8 + x]!
      tmp[v * 8 + x] = s
    }
  }
  const zz = new Int32Array(64)
  for (let k = 0; k < 64; k++) {
    const n = ZIGZAG[k]!
    const v = n >> 3
    const u = n & 7
    let s = 0
    for (let x = 0; x < 8; x++) s += DCT[u * 8 + x]! * tmp[v * 8 + x]!
    zz[k] = Math.round(s / quant[n]!)
  }

  const diff = zz[0]! - prevDc
  const dcCat = bitLength(diff)
  out.write(dc.code[dcCat]!, dc.length[dcCat]!)
  if (dcCat > 0) out.write(diff < 0 ? diff + (1 << dcCat) - 1 : diff, dcCat)

  let run = 0
  for (let k = 1; k < 64; k++) {
    const v = zz[k]!
    if (v === 0) {
      run++
      continue
    }
    while (run > 15) {
      out.write(ac.code[0xf0]!, ac.length[0xf0]!) // ZRL
      run -= 16
    }
    const cat = bitLength(v)
    const symbol = (run << 4) | cat
    out.write(ac.code[symbol]!, ac.length[symbol]!)
    out.write(v < 0 ? v + (1 << cat) - 1 : v, cat)
    run = 0
  }
  if (run > 0) out.write(ac.code[0]!, ac.length[0]!) // EOB
  return zz[0]!
}

function segment(marker: number, payload: number[]): number[] {
  const len = payload.length + 2
  return [0xff, marker, len >> 8, len & 0xff, ...payload]
}

function huffmanSegmentPayload(tableClassAndId: number, spec: HuffmanSpec): number[] {
  return [tableClassAndId, ...spec.bits, ...spec.values]
}

/** Encodes RGBA (or RGB, with `channels = 3`) pixels as a baseline JFIF JPEG. */
export function encodeJpeg(pixels: Uint8Array, width: number, height: number, quality = 85, channels: 3 | 4 = 4): Uint8Array {
  if (pixels.length < width * height * channels) throw new Error('pixel buffer too small')
  const qLuma = scaledQuant(LUMA_QUANT, quality)
  const qChroma = scaledQuant(CHROMA_QUANT, quality)

  const header: number[] = [0xff, 0xd8]
  header.push(...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0])) // JFIF 1.01
  header.push(...segment(0xdb, [0, ...ZIGZAG.map((n) => qLuma[n]!), 1, ...ZIGZAG.map((n) => qChroma[n]!)]))
  header.push(...segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1]))
  header.push(
    ...segment(0xc4, [
      ...huffmanSegmentPayload(0x00, DC_LUMA),
      ...huffmanSegmentPayload(0x10, AC_LUMA),
      ...huffmanSegmentPayload(0x01, DC_CHROMA),
      ...huffmanSegmentPayload(0x11, AC_CHROMA)
    ])
  )
  header.push(...segment(0xda, [3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]))

  const out = new BitWriter()
  const yBlock = new Float64Array(64)
  const cbBlock = new Float64Array(64)
  const crBlock = new Float64Array(64)
  let dcY = 0
  let dcCb = 0
  let dcCr = 0
  for (let by = 0; by < height; by += 8) {
    for (let bx = 0; bx < width; bx += 8) {
      for (let y = 0; y < 8; y++) {
        const py = Math.min(height - 1, by + y) // replicate edges of partial blocks
        for (let x = 0; x < 8; x++) {
          const px = Math.min(width - 1, bx + x)
          const i = (py * width + px) * channels
          const r = pixels[i]!
          const g = pixels[i + 1]!
          const b = pixels[i + 2]!
          yBlock[y * 8 + x] = 0.299 * r + 0.587 * g + 0.114 * b - 128
          cbBlock[y * 8 + x] = -0.168736 * r - 0.331264 * g + 0.5 * b
          crBlock[y * 8 + x] = 0.5 * r - 0.418688 * g - 0.081312 * b
        }
      }
      dcY = encodeBlock(out, yBlock, qLuma, dcY, TABLES.dcLuma, TABLES.acLuma)
      dcCb = encodeBlock(out, cbBlock, qChroma, dcCb, TABLES.dcChroma, TABLES.acChroma)
      dcCr = encodeBlock(out, crBlock, qChroma, dcCr, TABLES.dcChroma, TABLES.acChroma)
    }
  }
  const data = out.finish()
  const result = new Uint8Array(header.length + data.length + 2)
  result.set(header, 0)
  result.set(data, header.length)
  result.set([0xff, 0xd9], header.length + data.length)
  return result
}
