import { createHmac, randomBytes } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;

/** A new signing secret: `whsec_` + base64 of 32 random bytes (Standard Webhooks asks for 24–64). */
export function generateSigningSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

/** The HMAC key inside a `whsec_…` secret. Throws on anything else, so a bad secret fails loudly. */
export function secretKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('signing secret must start with whsec_');
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  if (key.length < 24 || key.length > 64) throw new Error('signing secret must hold 24–64 bytes');
  return key;
}

export interface SignedContent {
  /** The `webhook-id` header: the event id, the same on every retry. */
  id: string;
  /** The `webhook-timestamp` header: unix seconds of this attempt. */
  timestamp: number;
  /** The exact request body bytes. */
  body: string;
}

/**
 * The `webhook-signature` header per Standard Webhooks: `v1,<base64 HMAC-SHA256
 * of "id.timestamp.body">`, one per valid secret separated by spaces, so a
 * receiver still holding the previous secret keeps verifying during rotation.
 */
export function signWebhook(content: SignedContent, secrets: readonly string[]): string {
  if (secrets.length === 0) throw new Error('at least one signing secret is required');
  const signed = `${content.id}.${content.timestamp}.${content.body}`;
  return secrets.map((secret) => `v1,${createHmac('sha256', secretKey(secret)).update(signed).digest('base64')}`).join(' ');
}
