import { createHash, randomBytes } from 'node:crypto';

/** Recognisable in logs and by leak scanners (GitHub secret scanning, trufflehog custom rules). */
export const API_KEY_PREFIX = 'hwk_';
const API_KEY_PATTERN = /^hwk_[A-Za-z0-9_-]{43}$/;

export interface NewApiKey {
  /** Shown once to its creator, never stored. */
  key: string;
  /** sha256 of the key, hex: what the database keeps (see docs/decisions/0002-api-key-hashing.md). */
  hash: string;
  /** First characters, kept to tell keys apart in a list. */
  displayPrefix: string;
}

/** `hwk_` + 32 random bytes (base64url, 43 chars): 256 bits, so a fast hash is enough. */
export function generateApiKey(): NewApiKey {
  const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, hash: hashApiKey(key), displayPrefix: key.slice(0, 12) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function looksLikeApiKey(value: string): boolean {
  return API_KEY_PATTERN.test(value);
}

/** The key from an `Authorization: Bearer <key>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}
