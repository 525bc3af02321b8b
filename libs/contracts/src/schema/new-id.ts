import { randomBytes } from 'node:crypto';
import { ID_PREFIXES } from './ids';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** What an id names: a key of `ID_PREFIXES` (`'attempt'` → `att_…`). */
export type IdKind = keyof typeof ID_PREFIXES;

/**
 * The one way ids are made (in the application: PGlite has no uuid
 * extensions): the kind's prefix, then a ULID body — 48-bit millisecond time
 * + 80 random bits in Crockford base32 — so ids sort by creation time, handy
 * for cursor paging.
 */
export function newId(kind: IdKind, now: number = Date.now()): string {
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
  return `${ID_PREFIXES[kind]}_${time}${body}`;
}
