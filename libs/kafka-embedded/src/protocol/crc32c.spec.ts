import { crc32c } from './crc32c';

describe('crc32c', () => {
  it('matches the standard check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });
  it('agrees between the 8-byte and the byte-wise paths', () => {
    const buf = Buffer.from(Array.from({ length: 1031 }, (_, i) => (i * 31 + 7) & 0xff));
    const bytewise = (b: Buffer) => {
      let c = 0xffffffff;
      for (const x of b) {
        c ^= x;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
      }
      return (c ^ 0xffffffff) >>> 0;
    };
    for (const len of [0, 1, 7, 8, 9, 100, 1031]) expect(crc32c(buf, 0, len)).toBe(bytewise(buf.subarray(0, len)));
    expect(crc32c(buf, 5, 900)).toBe(bytewise(buf.subarray(5, 900)));
  });
});
