import { CONTACT_CREATED } from '../catalog/contact/contact.events';
import { buildDeliveryRequestBody } from './delivery-request';
import type { EventEnvelope } from './envelope.schema';

describe('buildDeliveryRequestBody', () => {
  const envelope: EventEnvelope = {
    id: 'evt_01JNPQHYR0QF7VAG5EP6RNXA2R',
    type: 'contact.created',
    workspaceId: 'ws_01JNC73BG0DASM3JC3DDJK4SR8',
    occurredAt: '2025-03-12T15:44:10.000Z',
    data: CONTACT_CREATED.example,
    access: { scope: 'restricted', userIds: ['usr_01JN96Z600Q5CGWQT5XDV1KWX9'], teamIds: [] },
  };

  it('maps the envelope to the Standard Webhooks body and leaves access out', () => {
    expect(buildDeliveryRequestBody(envelope)).toEqual({
      id: 'evt_01JNPQHYR0QF7VAG5EP6RNXA2R',
      type: 'contact.created',
      timestamp: '2025-03-12T15:44:10.000Z',
      workspace_id: 'ws_01JNC73BG0DASM3JC3DDJK4SR8',
      data: CONTACT_CREATED.example,
    });
  });

  it('serializes with a fixed key order (the body is signed byte-for-byte)', () => {
    const json = JSON.stringify(buildDeliveryRequestBody(envelope));
    expect(json.startsWith('{"id":"evt_01JNPQHYR0QF7VAG5EP6RNXA2R","type":"contact.created","timestamp":')).toBe(true);
    expect(json).not.toContain('"access"');
  });
});
