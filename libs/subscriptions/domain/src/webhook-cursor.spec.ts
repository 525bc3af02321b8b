import { containsPattern, decodeWebhookCursor, encodeWebhookCursor } from './webhook-cursor';

describe('webhook cursor', () => {
  it('round-trips and rejects garbage', () => {
    const cursor = { createdAt: '2026-01-01T00:00:00.000Z', id: 'sub_01' };
    expect(decodeWebhookCursor(encodeWebhookCursor(cursor))).toEqual(cursor);
    expect(decodeWebhookCursor('nope')).toBeNull();
  });

  it('escapes LIKE wildcards in a search text', () => {
    expect(containsPattern('crm')).toBe('%crm%');
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });
});
