import { ByteReader } from './byte-reader';
import { ByteWriter } from './byte-writer';
import { ProtocolError } from './protocol-error';

describe('primitive codec', () => {
  it('round-trips every primitive', () => {
    const big = Buffer.alloc(5000, 7);
    const w = new ByteWriter(8)
      .int8(-5)
      .bool(true)
      .int16(-300)
      .int32(-70000)
      .uint32(0xfffffffe)
      .int64(-(2n ** 40n))
      .uvarint(300)
      .varint(-12345)
      .varlong(-(2n ** 50n))
      .string('héllo')
      .nullableString(null)
      .compactString('ok')
      .compactNullableString(null)
      .bytes(big)
      .nullableBytes(null)
      .compactBytes(Buffer.from([1, 2]))
      .array([1, 2, 3], (w, v) => w.int32(v))
      .nullableArray(null, (w, v: number) => w.int32(v))
      .compactArray(['a', 'b'], (w, v) => w.compactString(v))
      .taggedFields();
    const r = new ByteReader(w.toBuffer());
    expect(r.int8()).toBe(-5);
    expect(r.bool()).toBe(true);
    expect(r.int16()).toBe(-300);
    expect(r.int32()).toBe(-70000);
    expect(r.uint32()).toBe(0xfffffffe);
    expect(r.int64()).toBe(-(2n ** 40n));
    expect(r.uvarint()).toBe(300);
    expect(r.varint()).toBe(-12345);
    expect(r.varlong()).toBe(-(2n ** 50n));
    expect(r.string()).toBe('héllo');
    expect(r.nullableString()).toBeNull();
    expect(r.compactString()).toBe('ok');
    expect(r.compactNullableString()).toBeNull();
    expect(r.bytes().equals(big)).toBe(true);
    expect(r.nullableBytes()).toBeNull();
    expect([...r.compactBytes()]).toEqual([1, 2]);
    expect(r.array((r) => r.int32())).toEqual([1, 2, 3]);
    expect(r.nullableArray((r) => r.int32())).toBeNull();
    expect(r.compactArray((r) => r.compactString())).toEqual(['a', 'b']);
    r.taggedFields();
    expect(r.remaining).toBe(0);
  });

  it('refuses lengths beyond the frame instead of allocating them', () => {
    expect(() => new ByteReader(Buffer.from([0x7f, 0xff, 0xff, 0xff])).array((r) => r.int8())).toThrow(ProtocolError);
    expect(() => new ByteReader(Buffer.from([0x00, 0x10, 0x61])).string()).toThrow(ProtocolError);
    expect(() => new ByteReader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])).uvarint()).toThrow(ProtocolError);
  });
});
