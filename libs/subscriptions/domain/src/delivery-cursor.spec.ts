import { decodeCursor, encodeCursor } from './delivery-cursor';

describe('delivery cursor', () => {
  it('round-trips and rejects garbage', () => {
    const cursor = { finishedAt: '2026-01-01T00:00:00.000Z', id: 'att_01' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor('not-a-cursor')).toBeNull();
    expect(decodeCursor(Buffer.from('["yesterday","x"]').toString('base64url'))).toBeNull();
  });
});
