import { CONTACT_CREATED } from '../catalog/contact/contact.events';
import { CONVERSATION_RECORDED } from '../catalog/conversation/conversation.events';
import { USER_ROLE_CHANGED, USER_UPDATED } from '../catalog/user/user.events';
import { WEBHOOK_DISABLED } from '../catalog/webhook/webhook.events';
import { safeDecode } from './decode';
import { validateEnvelope, validateEventData, validateUpstreamEvent } from './event-validator';

const WORKSPACE_ID = 'ws_01JNC73BG0DASM3JC3DDJK4SR8';

function upstream(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'evt_01JNPQHYR0QF7VAG5EP6RNXA2R',
    type: 'contact.created',
    workspaceId: WORKSPACE_ID,
    occurredAt: '2025-03-12T15:44:10.000Z',
    data: CONTACT_CREATED.example,
    ...overrides,
  };
}

const clone = <T>(value: T): T => structuredClone(value);

describe('validateEventData', () => {
  it('rejects a field of the wrong type with its path and reason', () => {
    const data = clone(CONTACT_CREATED.example) as unknown as { contact: Record<string, unknown> };
    data.contact['firstName'] = 42;
    expect(validateEventData('contact.created', data)).toEqual({
      ok: false,
      errors: [{ path: '/data/contact/firstName', reason: 'must be string' }],
    });
  });

  it('rejects a missing required field, naming it', () => {
    const data = clone(CONTACT_CREATED.example) as unknown as { contact: Record<string, unknown> };
    delete data.contact['id'];
    expect(validateEventData('contact.created', data)).toEqual({
      ok: false,
      errors: [{ path: '/data/contact', reason: "must have required property 'id'" }],
    });
  });

  it('says "or null" for nullable fields and names the format', () => {
    const data = clone(CONTACT_CREATED.example) as unknown as { contact: Record<string, unknown> };
    data.contact['email'] = 5;
    data.contact['updatedAt'] = 'last tuesday';
    expect(validateEventData('contact.created', data)).toEqual({
      ok: false,
      errors: [
        { path: '/data/contact/email', reason: 'must be string or null' },
        { path: '/data/contact/updatedAt', reason: 'must match format "date-time"' },
      ],
    });
  });

  it('rejects undocumented fields (nothing unlisted reaches a receiver)', () => {
    expect(validateEventData('contact.created', { ...CONTACT_CREATED.example, internalScore: 0.7 })).toEqual({
      ok: false,
      errors: [{ path: '/data', reason: "must NOT have additional property 'internalScore'" }],
    });
  });

  it('lists allowed values for an enum and explains a malformed id', () => {
    const data = { ...clone(USER_ROLE_CHANGED.example), role: 'superuser' };
    data.user.id = 'user-42';
    expect(validateEventData('user.role_changed', data)).toEqual({
      ok: false,
      errors: [
        { path: '/data/user/id', reason: 'must be an id of the form usr_<ULID>' },
        { path: '/data/role', reason: "must be one of 'owner', 'admin', 'member'" },
      ],
    });
  });

  it('reports an unknown field in `changes` of an update at that field', () => {
    const data = {
      contact: CONTACT_CREATED.example.contact,
      changes: { shoeSize: { previous: 41, current: 42 } },
      actor: null,
    };
    const result = validateEventData('contact.updated', data);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([
      { path: '/data/changes/shoeSize', reason: expect.stringMatching(/^is not a known field: name must be one of 'id', 'firstName'/) },
    ]);
  });

  it('reports every error at once, in a nested array', () => {
    const data = clone(CONVERSATION_RECORDED.example) as unknown as {
      conversation: { participants: Record<string, unknown>[] };
      recording: Record<string, unknown>;
    };
    data.conversation.participants[2]!['role'] = 'spy';
    data.recording['durationSeconds'] = -1;
    expect(validateEventData('conversation.recorded', data)).toEqual({
      ok: false,
      errors: [
        { path: '/data/conversation/participants/2/role', reason: "must be one of 'host', 'internal', 'external'" },
        { path: '/data/recording/durationSeconds', reason: 'must be >= 0' },
      ],
    });
  });

  it('rejects an unknown event type at /type', () => {
    expect(validateEventData('contact.exploded', {})).toEqual({
      ok: false,
      errors: [{ path: '/type', reason: "unknown event type 'contact.exploded'" }],
    });
  });
});

describe('validateUpstreamEvent', () => {
  it('accepts a valid event and defaults access from the catalog (contacts: workspace)', () => {
    expect(validateUpstreamEvent(upstream())).toEqual({ ok: true, value: { ...upstream(), access: { scope: 'workspace' } } });
  });

  it('refuses operational events (webhook.*): only the platform emits them', () => {
    expect(validateUpstreamEvent(upstream({ type: 'webhook.disabled', data: WEBHOOK_DISABLED.example }))).toEqual({
      ok: false,
      errors: [{ path: '/type', reason: "'webhook.disabled' is an operational event: only the platform emits it" }],
    });
  });

  it('defaults user.* events to admin-only', () => {
    const result = validateUpstreamEvent(upstream({ type: 'user.role_changed', data: USER_ROLE_CHANGED.example }));
    expect(result.ok && result.value.access).toEqual({ scope: 'admin' });
  });

  it("restricts a private conversation's events to its owner, internal participants and shared teams", () => {
    const result = validateUpstreamEvent(upstream({ type: 'conversation.recorded', data: CONVERSATION_RECORDED.example }));
    expect(result.ok && result.value.access).toEqual({
      scope: 'restricted',
      userIds: ['usr_01JN96Z600Q5CGWQT5XDV1KWX9', 'usr_01JN9Z07C09WZYQC0YGKEVJGTP'],
      teamIds: ['team_01JNDQ5E80S8QXPN12HE6FZNP9'],
    });
  });

  it('keeps the access the producer set', () => {
    const access = { scope: 'restricted', userIds: ['usr_01JN96Z600Q5CGWQT5XDV1KWX9'], teamIds: [] };
    const result = validateUpstreamEvent(upstream({ access }));
    expect(result.ok && result.value.access).toEqual(access);
  });

  it('never lets a producer widen an admin-only type past the catalog (user.* stays admin-only)', () => {
    for (const access of [{ scope: 'workspace' }, { scope: 'restricted', userIds: ['usr_01JN96Z600Q5CGWQT5XDV1KWX9'], teamIds: [] }]) {
      const result = validateUpstreamEvent(upstream({ type: 'user.updated', data: USER_UPDATED.example, access }));
      expect(result.ok && result.value.access).toEqual({ scope: 'admin' });
    }
  });

  it('accepts a UUID event id', () => {
    expect(validateUpstreamEvent(upstream({ id: '3f0c8a52-6f1e-4d8e-9a57-2b1b6f0c9d41' })).ok).toBe(true);
  });

  it('rejects an unknown type with path /type', () => {
    expect(validateUpstreamEvent(upstream({ type: 'contact.exploded' }))).toEqual({
      ok: false,
      errors: [{ path: '/type', reason: "unknown event type 'contact.exploded'" }],
    });
  });

  it('reports envelope and data errors together', () => {
    const data = { ...CONTACT_CREATED.example, source: 'carrier_pigeon' };
    expect(
      validateUpstreamEvent(
        upstream({ id: 'abc', occurredAt: '2025-13-01', workspaceId: undefined, data, access: { scope: 'everyone' } }),
      ),
    ).toEqual({
      ok: false,
      errors: [
        { path: '', reason: "must have required property 'workspaceId'" },
        { path: '/id', reason: 'must be an event id: evt_ followed by a ULID, or a UUID' },
        { path: '/occurredAt', reason: 'must match format "date-time"' },
        { path: '/access/scope', reason: "must be one of 'workspace', 'restricted', 'admin'" },
        { path: '/data/source', reason: "must be one of 'manual', 'import', 'api', 'integration', 'conversation'" },
      ],
    });
  });

  it('rejects a restricted access without its lists', () => {
    expect(validateUpstreamEvent(upstream({ access: { scope: 'restricted', userIds: [] } }))).toEqual({
      ok: false,
      errors: [{ path: '/access', reason: "must have required property 'teamIds'" }],
    });
  });

  it('rejects a non-object', () => {
    expect(validateUpstreamEvent('hello')).toEqual({ ok: false, errors: [{ path: '', reason: 'must be object' }] });
  });

  it('rejects data that is not an object', () => {
    expect(validateUpstreamEvent(upstream({ data: [] }))).toEqual({
      ok: false,
      errors: [{ path: '/data', reason: 'must be object' }],
    });
  });
});

describe('safeDecode(validateUpstreamEvent)', () => {
  it('parses bytes and validates them', () => {
    const result = safeDecode(validateUpstreamEvent, Buffer.from(JSON.stringify(upstream())));
    expect(result.ok && result.value.id).toBe('evt_01JNPQHYR0QF7VAG5EP6RNXA2R');
  });

  it('rejects invalid JSON at the root path', () => {
    const result = safeDecode(validateUpstreamEvent, '{"id": ');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([{ path: '', reason: expect.stringMatching(/^invalid JSON: /) }]);
  });
});

describe('validateEnvelope', () => {
  it('requires access', () => {
    expect(validateEnvelope(upstream())).toEqual({
      ok: false,
      errors: [{ path: '', reason: "must have required property 'access'" }],
    });
    expect(validateEnvelope(upstream({ access: { scope: 'admin' } })).ok).toBe(true);
  });

  it('checks the shape and the type, not the catalog schema of data (validated once, at ingest)', () => {
    const created = upstream({ access: { scope: 'workspace' } });
    expect(validateEnvelope({ ...created, data: { anything: 'goes' } }).ok).toBe(true);
    expect(validateEnvelope({ ...created, type: 'contact.exploded' })).toEqual({ ok: false, errors: [{ path: '/type', reason: "unknown event type 'contact.exploded'" }] });
    expect(validateEnvelope({ ...created, data: 'not an object' })).toMatchObject({ ok: false, errors: [{ path: '/data' }] });
  });

  it('rejects extra envelope fields', () => {
    expect(validateEnvelope(upstream({ access: { scope: 'workspace' }, retries: 3 }))).toEqual({
      ok: false,
      errors: [{ path: '', reason: "must NOT have additional property 'retries'" }],
    });
  });
});
