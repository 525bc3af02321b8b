import { buildRejectedRecord } from './rejected-record.builder';
import { validateRejectedRecord } from './message-validators';

const source = { kind: 'kafka' as const, topic: 'harmony.contact.events', partition: 0, offset: '7', key: null };
const now = new Date('2026-11-27T10:00:00.000Z');

describe('buildRejectedRecord', () => {
  it('quotes the first error, keeps the bytes, and reads what it can of an event', () => {
    const bytes = Buffer.from(JSON.stringify({ id: 'evt_1', type: 'contact.exploded', workspaceId: 'ws_1' }));
    const record = buildRejectedRecord({ bytes, source, errors: [{ path: '/type', reason: 'unknown' }], fallbackReason: 'rejected', now });
    expect(record).toEqual({
      reason: '/type: unknown',
      errors: [{ path: '/type', reason: 'unknown' }],
      source,
      originalBase64: bytes.toString('base64'),
      eventId: 'evt_1',
      eventType: 'contact.exploded',
      workspaceId: 'ws_1',
      rejectedAt: '2026-11-27T10:00:00.000Z',
    });
    expect(validateRejectedRecord(record).ok).toBe(true);
  });

  it("reads a delivery job's event, names who refused it, and copes with bytes that are not JSON", () => {
    const job = buildRejectedRecord({
      bytes: Buffer.from(JSON.stringify({ workspaceId: 'ws_2', event: { id: 'evt_2', type: 'user.added' } })),
      source,
      errors: [],
      refusedBy: 'retry-scheduler',
      fallbackReason: 'invalid delivery job',
      now,
    });
    expect(job).toMatchObject({ reason: 'retry-scheduler: invalid delivery job', eventId: 'evt_2', eventType: 'user.added', workspaceId: 'ws_2' });
    const garbage = buildRejectedRecord({ bytes: Buffer.from('{"id": '), source, errors: [{ path: '', reason: 'invalid JSON' }], refusedBy: 'fan-out', fallbackReason: 'x', now });
    expect(garbage).toMatchObject({ reason: 'fan-out: /: invalid JSON', eventId: null, eventType: null, workspaceId: null });
  });
});
