import { ProtocolError } from './protocol-error';

/**
 * Decoder of Kafka's primitive types over one request frame. Every read is
 * bounds-checked and every length is checked against the bytes left, so a
 * hostile frame fails with a ProtocolError instead of a huge allocation.
 */
export class ByteReader {
  offset: number;

  constructor(
    readonly buf: Buffer,
    offset = 0,
    readonly end = buf.length,
  ) {
    this.offset = offset;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private need(n: number): number {
    if (n < 0 || this.offset + n > this.end) {
      throw new ProtocolError(`truncated: need ${n} bytes at ${this.offset}, have ${this.end - this.offset}`);
    }
    const at = this.offset;
    this.offset += n;
    return at;
  }

  int8(): number {
    return this.buf.readInt8(this.need(1));
  }
  bool(): boolean {
    return this.buf[this.need(1)] !== 0;
  }
  int16(): number {
    return this.buf.readInt16BE(this.need(2));
  }
  int32(): number {
    return this.buf.readInt32BE(this.need(4));
  }
  uint32(): number {
    return this.buf.readUInt32BE(this.need(4));
  }
  int64(): bigint {
    return this.buf.readBigInt64BE(this.need(8));
  }
  /** int64 as a JS number: offsets and timestamps stay well inside 2^53. */
  int64n(): number {
    return Number(this.buf.readBigInt64BE(this.need(8)));
  }
  uuid(): Buffer {
    return this.raw(16);
  }

  /** Unsigned LEB128 (at most 5 bytes for 32 bits). */
  uvarint(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.buf[this.need(1)];
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        if (result > 0xffffffff) throw new ProtocolError('uvarint overflow');
        return result;
      }
    }
    throw new ProtocolError('uvarint too long');
  }
  /** Zig-zag signed varint (int32). */
  varint(): number {
    const u = this.uvarint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }
  /** Zig-zag signed varlong (int64), as bigint. */
  varlong(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = this.buf[this.need(1)];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return (result >> 1n) ^ -(result & 1n);
    }
    throw new ProtocolError('varlong too long');
  }

  raw(n: number): Buffer {
    const at = this.need(n);
    return this.buf.subarray(at, at + n);
  }

  string(): string {
    const s = this.nullableString();
    if (s === null) throw new ProtocolError('null string where non-null expected');
    return s;
  }
  nullableString(): string | null {
    const len = this.int16();
    if (len < 0) return null;
    const at = this.need(len);
    return this.buf.toString('utf8', at, at + len);
  }
  compactString(): string {
    const s = this.compactNullableString();
    if (s === null) throw new ProtocolError('null compact string where non-null expected');
    return s;
  }
  compactNullableString(): string | null {
    const len = this.uvarint() - 1;
    if (len < 0) return null;
    const at = this.need(len);
    return this.buf.toString('utf8', at, at + len);
  }

  bytes(): Buffer {
    const b = this.nullableBytes();
    if (b === null) throw new ProtocolError('null bytes where non-null expected');
    return b;
  }
  nullableBytes(): Buffer | null {
    const len = this.int32();
    if (len < 0) return null;
    return this.raw(len);
  }
  compactBytes(): Buffer {
    const b = this.compactNullableBytes();
    if (b === null) throw new ProtocolError('null compact bytes where non-null expected');
    return b;
  }
  compactNullableBytes(): Buffer | null {
    const len = this.uvarint() - 1;
    if (len < 0) return null;
    return this.raw(len);
  }

  /** int32-counted array; each element needs at least one byte, which bounds the count. */
  array<T>(item: (r: ByteReader) => T): T[] {
    const a = this.nullableArray(item);
    if (a === null) throw new ProtocolError('null array where non-null expected');
    return a;
  }
  nullableArray<T>(item: (r: ByteReader) => T): T[] | null {
    const n = this.int32();
    if (n < 0) return null;
    return this.items(n, item);
  }
  compactArray<T>(item: (r: ByteReader) => T): T[] {
    const a = this.compactNullableArray(item);
    if (a === null) throw new ProtocolError('null compact array where non-null expected');
    return a;
  }
  compactNullableArray<T>(item: (r: ByteReader) => T): T[] | null {
    const n = this.uvarint() - 1;
    if (n < 0) return null;
    return this.items(n, item);
  }
  private items<T>(n: number, item: (r: ByteReader) => T): T[] {
    if (n > this.remaining) throw new ProtocolError(`array of ${n} items exceeds the ${this.remaining} bytes left`);
    const out: T[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = item(this);
    return out;
  }

  /** Tagged fields: none are understood by this broker, so they are skipped. */
  taggedFields(): void {
    const n = this.uvarint();
    if (n > this.remaining) throw new ProtocolError('too many tagged fields');
    for (let i = 0; i < n; i++) {
      this.uvarint();
      this.need(this.uvarint());
    }
  }
}
