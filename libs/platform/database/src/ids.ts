import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Ids are made in the application (PGlite has no uuid extensions): a type
 * prefix, then a ULID-style body: 48-bit millisecond time + 80 random bits in
 * Crockford base32, so ids sort by creation time — handy for cursor paging.
 */
export function newId(prefix: string, now: number = Date.now()): string {
  let time = '';
  let remaining = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[remaining % 32] + time;
    remaining = Math.floor(remaining / 32);
  }
  const random = randomBytes(10);
  let body = '';
  let bits = 0;
  let value = 0;
  for (const byte of random) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      body += CROCKFORD[(value >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return `${prefix}_${time}${body}`;
}
