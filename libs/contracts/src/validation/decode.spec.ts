import { decode, InvalidMessage, safeDecode } from './decode';
import { validateDeliveryJob } from '../messages/message-validators';
import { validateEnvelope } from './event-validator';
import { CONTACT_CREATED } from '../catalog/contact/contact.events';

const ENVELOPE = {
  id: 'evt_01JN8EY4M01Q2JXEXGJAGNSW68',
  type: 'contact.created',
  workspaceId: 'ws_01JN8EY4M01Q2JXEXGJAGNSW68',
  occurredAt: '2026-11-27T10:00:00.000Z',
  data: CONTACT_CREATED.example,
  access: { scope: 'workspace' },
};

function thrown(run: () => unknown): InvalidMessage {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidMessage) return error;
    throw error;
  }
  throw new Error('did not throw');
}

describe('decode', () => {
  it('parses and validates bytes or text into the contract’s type', () => {
    expect(decode(validateEnvelope, Buffer.from(JSON.stringify(ENVELOPE)))).toEqual(ENVELOPE);
    expect(decode(validateEnvelope, JSON.stringify(ENVELOPE))).toEqual(ENVELOPE);
    expect(safeDecode(validateEnvelope, JSON.stringify(ENVELOPE))).toEqual({ ok: true, value: ENVELOPE });
  });

  it('throws InvalidMessage naming an empty record, bytes that are not JSON, and every contract error', () => {
    expect(thrown(() => decode(validateDeliveryJob, null)).errors).toEqual([{ path: '', reason: 'empty record' }]);
    const notJson = thrown(() => decode(validateDeliveryJob, Buffer.from('{"jobId": ')));
    expect(notJson.errors).toEqual([{ path: '', reason: expect.stringMatching(/^invalid JSON: /) }]);
    expect(notJson.message).toMatch(/^\/: invalid JSON: /);
    const wrong = thrown(() => decode(validateDeliveryJob, Buffer.from(JSON.stringify({ jobId: 'job_x', attempt: 0 }))));
    expect(wrong.errors).toEqual(expect.arrayContaining([
      { path: '', reason: "must have required property 'subscriptionId'" },
      { path: '/attempt', reason: 'must be >= 1' },
    ]));
    expect(wrong.message).toContain("/: must have required property 'subscriptionId'; ");
  });

  it('returns the same errors without throwing from safeDecode', () => {
    expect(safeDecode(validateDeliveryJob, 'null')).toEqual({ ok: false, errors: [{ path: '', reason: 'must be object' }] });
  });
});
