/**
 * Keyset cursor for the delivery log, newest first: the (finishedAt, id) of
 * the last row of a page. Opaque (base64url JSON) so its shape can change.
 */
export interface DeliveryCursor {
  finishedAt: string;
  id: string;
}

export function encodeCursor(cursor: DeliveryCursor): string {
  return Buffer.from(JSON.stringify([cursor.finishedAt, cursor.id])).toString('base64url');
}

export function decodeCursor(value: string): DeliveryCursor | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 2) return null;
    const [finishedAt, id] = parsed as unknown[];
    if (typeof finishedAt !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(finishedAt))) return null;
    return { finishedAt, id };
  } catch {
    return null;
  }
}
