import { randomFillSync } from 'node:crypto';
import { ID_PREFIXES } from './ids';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RANDOM_BYTES = 10;

/**
 * Random bytes drawn from the CSPRNG 4 KiB at a time (as crypto.randomUUID does
 * for its own): one system call per ~400 ids instead of one per id, a hot
 * path's cost (every attempt and job gets an id). Each byte is used once.
 */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomBody(): Buffer {
  if (poolOffset + RANDOM_BYTES > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += RANDOM_BYTES;
  return pool.subarray(poolOffset - RANDOM_BYTES, poolOffset);
}

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
  const random = randomBody();
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
