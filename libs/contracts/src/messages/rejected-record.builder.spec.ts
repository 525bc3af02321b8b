import { kafkaSource, rejectedMessage, rejectedRecord } from './rejected-record.builder';
import { validateRejectedRecord } from './message-validators';

const source = { kind: 'kafka' as const, topic: 'harmony.contact.events', partition: 0, offset: '7', key: null };
const now = new Date('2026-11-27T10:00:00.000Z');

describe('rejectedRecord', () => {
  it('quotes the first error, keeps the bytes, and reads what it can of an event', () => {
    const bytes = Buffer.from(JSON.stringify({ id: 'evt_1', type: 'contact.exploded', workspaceId: 'ws_1' }));
    const record = rejectedRecord({ bytes, source, errors: [{ path: '/type', reason: 'unknown' }], now });
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
    const job = rejectedRecord({
      bytes: Buffer.from(JSON.stringify({ workspaceId: 'ws_2', event: { id: 'evt_2', type: 'user.added' } })),
      source,
      errors: [{ path: '/jobId', reason: 'must be string' }],
      refusedBy: 'retry-scheduler',
      now,
    });
    expect(job).toMatchObject({ reason: 'retry-scheduler: /jobId: must be string', eventId: 'evt_2', eventType: 'user.added', workspaceId: 'ws_2' });
    const garbage = rejectedRecord({ bytes: Buffer.from('{"id": '), source, errors: [{ path: '', reason: 'invalid JSON' }], refusedBy: 'fan-out', now });
    expect(garbage).toMatchObject({ reason: 'fan-out: /: invalid JSON', eventId: null, eventType: null, workspaceId: null });
  });

  it('stays a valid RejectedRecord for an empty record and without a known error', () => {
    const record = rejectedRecord({ bytes: null, source, errors: [], refusedBy: 'fan-out', now });
    expect(record).toMatchObject({ reason: 'fan-out: /: rejected', errors: [{ path: '', reason: 'rejected' }], originalBase64: '' });
    expect(validateRejectedRecord(record).ok).toBe(true);
  });
});

describe('rejectedMessage', () => {
  it('carries the rejected record, keyed by its workspace (none when unreadable)', () => {
    const bytes = Buffer.from(JSON.stringify({ id: 'evt_1', type: 'contact.exploded', workspaceId: 'ws_1' }));
    const input = { bytes, source, errors: [{ path: '/type', reason: 'unknown' }], refusedBy: 'fan-out', now };
    expect(rejectedMessage(input)).toEqual({ key: 'ws_1', value: JSON.stringify(rejectedRecord(input)) });
    expect(rejectedMessage({ ...input, bytes: Buffer.from('not json') }).key).toBeNull();
  });
});

describe('kafkaSource', () => {
  it('names the topic, partition, offset and key (as text) of a consumed record', () => {
    expect(kafkaSource({ topic: 'webhooks.retries.5s', partition: 3, offset: '42', key: Buffer.from('sub_1') })).toEqual({
      kind: 'kafka',
      topic: 'webhooks.retries.5s',
      partition: 3,
      offset: '42',
      key: 'sub_1',
    });
    expect(kafkaSource({ topic: 't', partition: 0, offset: '0', key: null })).toMatchObject({ key: null });
  });
});
