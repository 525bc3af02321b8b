import { crc32c } from '../protocol/crc32c';

/**
 * Kafka record batch v2 (DefaultRecordBatch). The broker stores batches as
 * received; it only rewrites baseOffset, which the CRC does not cover.
 *
 *  0 baseOffset int64 | 8 batchLength int32 | 12 partitionLeaderEpoch int32
 * 16 magic int8 | 17 crc uint32 (over 21..end) | 21 attributes int16
 * 23 lastOffsetDelta int32 | 27 baseTimestamp int64 | 35 maxTimestamp int64
 * 43 producerId int64 | 51 producerEpoch int16 | 53 baseSequence int32
 * 57 recordCount int32 | 61 records
 */
export const BATCH_HEADER_SIZE = 61;
/** baseOffset + batchLength precede what batchLength counts. */
export const BATCH_LOG_OVERHEAD = 12;
export const CRC_START = 21;

export const Compression = { None: 0, Gzip: 1, Snappy: 2, Lz4: 3, Zstd: 4 } as const;

const ATTR_COMPRESSION_MASK = 0x07;
const ATTR_TRANSACTIONAL = 0x10;
const ATTR_CONTROL = 0x20;

export interface BatchHeader {
  baseOffset: number;
  /** Total size in bytes, header included. */
  size: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

export function compressionOf(attributes: number): number {
  return attributes & ATTR_COMPRESSION_MASK;
}
export function isTransactional(attributes: number): boolean {
  return (attributes & ATTR_TRANSACTIONAL) !== 0;
}
export function isControl(attributes: number): boolean {
  return (attributes & ATTR_CONTROL) !== 0;
}

/** Reads the fixed header at `at`; the caller checks there are BATCH_HEADER_SIZE bytes. */
export function readBatchHeader(buf: Buffer, at = 0): BatchHeader {
  return {
    baseOffset: Number(buf.readBigInt64BE(at)),
    size: buf.readInt32BE(at + 8) + BATCH_LOG_OVERHEAD,
    magic: buf.readInt8(at + 16),
    crc: buf.readUInt32BE(at + 17),
    attributes: buf.readInt16BE(at + 21),
    lastOffsetDelta: buf.readInt32BE(at + 23),
    baseTimestamp: Number(buf.readBigInt64BE(at + 27)),
    maxTimestamp: Number(buf.readBigInt64BE(at + 35)),
    producerId: Number(buf.readBigInt64BE(at + 43)),
    producerEpoch: buf.readInt16BE(at + 51),
    baseSequence: buf.readInt32BE(at + 53),
    recordCount: buf.readInt32BE(at + 57),
  };
}

export function writeBaseOffset(buf: Buffer, at: number, baseOffset: number): void {
  buf.writeBigInt64BE(BigInt(baseOffset), at);
}

/**
 * Why a batch is unusable, or null when it is a well-formed magic-2 batch
 * whose CRC matches. `avail` is how many bytes from `at` belong to the set.
 */
export function batchProblem(buf: Buffer, at: number, avail: number, checkCrc = true): string | null {
  if (avail < BATCH_HEADER_SIZE) return 'truncated batch header';
  const size = buf.readInt32BE(at + 8) + BATCH_LOG_OVERHEAD;
  if (size < BATCH_HEADER_SIZE) return `batch length ${size} below the header size`;
  if (size > avail) return `batch of ${size} bytes exceeds the ${avail} available`;
  const magic = buf.readInt8(at + 16);
  if (magic !== 2) return `unsupported magic ${magic}`;
  if (buf.readInt32BE(at + 23) < 0) return 'negative lastOffsetDelta';
  if (buf.readInt32BE(at + 57) < 0) return 'negative record count';
  if (checkCrc && crc32c(buf, at + CRC_START, at + size) !== buf.readUInt32BE(at + 17)) return 'CRC mismatch';
  return null;
}

export function fixCrc(batch: Buffer): void {
  batch.writeUInt32BE(crc32c(batch, CRC_START, batch.length), 17);
}

// --- records, for the compactor (the only part of the broker that looks inside batches) ---

export interface RecordHeader {
  key: Buffer;
  value: Buffer | null;
}

export interface DecodedRecord {
  attributes: number;
  timestampDelta: bigint;
  offsetDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

class VarReader {
  constructor(
    private readonly buf: Buffer,
    public at: number,
  ) {}
  private byte(): number {
    if (this.at >= this.buf.length) throw new RangeError('truncated record');
    return this.buf[this.at++];
  }
  varlong(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return (result >> 1n) ^ -(result & 1n);
    }
    throw new RangeError('varlong too long');
  }
  varint(): number {
    return Number(this.varlong());
  }
  int8(): number {
    const v = this.byte();
    return v > 127 ? v - 256 : v;
  }
  bytes(): Buffer | null {
    const len = this.varint();
    if (len < 0) return null;
    if (this.at + len > this.buf.length) throw new RangeError('truncated record field');
    const b = this.buf.subarray(this.at, this.at + len);
    this.at += len;
    return b;
  }
}

/** Decodes `count` records from an (uncompressed) records section. */
export function decodeRecords(buf: Buffer, count: number): DecodedRecord[] {
  const r = new VarReader(buf, 0);
  const out: DecodedRecord[] = [];
  for (let i = 0; i < count; i++) {
    const length = r.varint();
    const end = r.at + length;
    if (length < 0 || end > buf.length) throw new RangeError('bad record length');
    const attributes = r.int8();
    const timestampDelta = r.varlong();
    const offsetDelta = r.varint();
    const key = r.bytes();
    const value = r.bytes();
    const headerCount = r.varint();
    if (headerCount < 0 || headerCount > length) throw new RangeError('bad header count');
    const headers: RecordHeader[] = [];
    for (let h = 0; h < headerCount; h++) {
      const hk = r.bytes();
      if (hk === null) throw new RangeError('null header key');
      headers.push({ key: hk, value: r.bytes() });
    }
    if (r.at !== end) throw new RangeError('record length mismatch');
    out.push({ attributes, timestampDelta, offsetDelta, key, value, headers });
  }
  return out;
}

function pushVarlong(out: number[], v: bigint): void {
  let z = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
  while (z >= 0x80n) {
    out.push(Number(z & 0x7fn) | 0x80);
    z >>= 7n;
  }
  out.push(Number(z));
}

function varintBuffer(v: number): Buffer {
  const n: number[] = [];
  pushVarlong(n, BigInt(v));
  return Buffer.from(n);
}

function encodeRecord(rec: DecodedRecord): Buffer[] {
  const head: number[] = [];
  head.push(rec.attributes & 0xff);
  pushVarlong(head, rec.timestampDelta);
  pushVarlong(head, BigInt(rec.offsetDelta));
  const parts: Buffer[] = [];
  const lenOf = (b: Buffer | null): Buffer => varintBuffer(b === null ? -1 : b.length);
  parts.push(Buffer.from(head), lenOf(rec.key));
  if (rec.key) parts.push(rec.key);
  parts.push(lenOf(rec.value));
  if (rec.value) parts.push(rec.value);
  const hc: number[] = [];
  pushVarlong(hc, BigInt(rec.headers.length));
  parts.push(Buffer.from(hc));
  for (const h of rec.headers) {
    parts.push(lenOf(h.key), h.key, lenOf(h.value));
    if (h.value) parts.push(h.value);
  }
  const bodyLength = parts.reduce((n, p) => n + p.length, 0);
  return [varintBuffer(bodyLength), ...parts];
}

export function encodeRecords(records: DecodedRecord[]): Buffer {
  return Buffer.concat(records.flatMap(encodeRecord));
}

/**
 * A new batch with the header of `original` (offset range, producer, timestamps
 * kept, so offsets and idempotence state stay valid) and a new records section.
 */
export function rebuildBatch(original: Buffer, recordsSection: Buffer, recordCount: number): Buffer {
  const batch = Buffer.allocUnsafe(BATCH_HEADER_SIZE + recordsSection.length);
  original.copy(batch, 0, 0, BATCH_HEADER_SIZE);
  recordsSection.copy(batch, BATCH_HEADER_SIZE);
  batch.writeInt32BE(batch.length - BATCH_LOG_OVERHEAD, 8);
  batch.writeInt32BE(recordCount, 57);
  fixCrc(batch);
  return batch;
}
