import * as net from 'node:net';
import { ByteReader } from '../src/protocol/byte-reader';
import { ByteWriter } from '../src/protocol/byte-writer';
import { crc32c } from '../src/protocol/crc32c';
import { encodeRecords } from '../src/storage/record-batch';

/** A bare Kafka protocol client for tests that need exact bytes on the wire. */
export class WireClient {
  private buf = Buffer.alloc(0);
  private correlationId = 0;
  private readonly waiting: { correlationId: number; resolve: (r: ByteReader) => void; reject: (e: Error) => void }[] = [];
  readonly closed: Promise<void>;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (d) => this.onData(d));
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
    this.closed.then(() => {
      for (const w of this.waiting.splice(0)) w.reject(new Error('connection closed'));
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host, port }, () => resolve(new WireClient(s)));
      s.once('error', reject);
    });
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    while (this.buf.length >= 4 && this.buf.length >= 4 + this.buf.readInt32BE(0)) {
      const size = this.buf.readInt32BE(0);
      const frame = this.buf.subarray(4, 4 + size);
      this.buf = this.buf.subarray(4 + size);
      const r = new ByteReader(frame);
      const correlationId = r.int32();
      const w = this.waiting.shift();
      if (!w) continue;
      if (w.correlationId !== correlationId) w.reject(new Error(`correlation ${correlationId}, expected ${w.correlationId}`));
      else w.resolve(r);
    }
  }

  /** Sends a request (header v1) and resolves with a reader after the response header v0. */
  request(apiKey: number, version: number, body: (w: ByteWriter) => void, expectResponse = true): Promise<ByteReader> {
    const correlationId = ++this.correlationId;
    const w = new ByteWriter();
    w.int16(apiKey).int16(version).int32(correlationId).nullableString('wire-test');
    body(w);
    const payload = w.toBuffer();
    const frame = Buffer.alloc(4 + payload.length);
    frame.writeInt32BE(payload.length, 0);
    payload.copy(frame, 4);
    this.socket.write(frame);
    if (!expectResponse) return Promise.resolve(new ByteReader(Buffer.alloc(0)));
    return new Promise((resolve, reject) => this.waiting.push({ correlationId, resolve, reject }));
  }

  sendRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  close(): void {
    this.socket.destroy();
  }
}

export interface TestRecord {
  key: string | null;
  value: string | null;
  headers?: Record<string, string>;
}

/** An uncompressed record batch v2 (baseOffset 0) with the given producer fields. */
export function buildBatch(records: TestRecord[], producer = { id: -1, epoch: -1, baseSequence: -1 }, timestamp = Date.now()): Buffer {
  const section = encodeRecords(
    records.map((rec, i) => ({
      attributes: 0,
      timestampDelta: 0n,
      offsetDelta: i,
      key: rec.key === null ? null : Buffer.from(rec.key),
      value: rec.value === null ? null : Buffer.from(rec.value),
      headers: Object.entries(rec.headers ?? {}).map(([k, v]) => ({ key: Buffer.from(k), value: Buffer.from(v) })),
    })),
  );
  const batch = Buffer.alloc(61 + section.length);
  batch.writeBigInt64BE(0n, 0);
  batch.writeInt32BE(batch.length - 12, 8);
  batch.writeInt32BE(0, 12);
  batch.writeInt8(2, 16);
  batch.writeInt16BE(0, 21);
  batch.writeInt32BE(records.length - 1, 23);
  batch.writeBigInt64BE(BigInt(timestamp), 27);
  batch.writeBigInt64BE(BigInt(timestamp), 35);
  batch.writeBigInt64BE(BigInt(producer.id), 43);
  batch.writeInt16BE(producer.epoch, 51);
  batch.writeInt32BE(producer.baseSequence, 53);
  batch.writeInt32BE(records.length, 57);
  section.copy(batch, 61);
  batch.writeUInt32BE(crc32c(batch, 21, batch.length), 17);
  return batch;
}

/** Produce v7 of one batch to one partition; resolves with (errorCode, baseOffset). */
export async function produceBatch(
  client: WireClient,
  topic: string,
  partition: number,
  batch: Buffer,
  acks = -1,
): Promise<{ errorCode: number; baseOffset: bigint }> {
  const r = await client.request(0, 7, (w) => {
    w.nullableString(null).int16(acks).int32(5000);
    w.array([topic], (w, t) => {
      w.string(t);
      w.array([partition], (w, p) => w.int32(p).bytes(batch));
    });
  });
  r.int32(); // topics
  r.string();
  r.int32(); // partitions
  r.int32();
  return { errorCode: r.int16(), baseOffset: r.int64() };
}
