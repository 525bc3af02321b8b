import { decodeCursor, encodeCursor } from './delivery-cursor';

/**
 * Keyset cursor for the webhook list, oldest first: the (createdAt, id) of the
 * last webhook of a page. The same opaque encoding as the delivery log's.
 */
export interface WebhookCursor {
  createdAt: string;
  id: string;
}

export function encodeWebhookCursor(cursor: WebhookCursor): string {
  return encodeCursor({ finishedAt: cursor.createdAt, id: cursor.id });
}

export function decodeWebhookCursor(value: string): WebhookCursor | null {
  const decoded = decodeCursor(value);
  return decoded && { createdAt: decoded.finishedAt, id: decoded.id };
}

/** A LIKE pattern matching `text` anywhere, its own `%`, `_` and `\` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
