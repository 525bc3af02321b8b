import { fieldErrors } from './field-errors';
import { CREATE_API_KEY } from './api-keys.api';
import { TEST_URL } from './test-send.api';
import { CREATE_WEBHOOK, RECOVER, UPDATE_WEBHOOK } from './webhook-input.api';

const VALID = { name: 'Orders', url: 'https://hooks.example.com/x', events: '*' };

/** The 400 entries a create body gets (none when it parses). */
function createErrors(body: Record<string, unknown>) {
  const result = CREATE_WEBHOOK.safeParse({ ...VALID, ...body });
  return result.success ? [] : fieldErrors(result.error.issues, Object.keys(CREATE_WEBHOOK.shape));
}

describe('request bodies (their rules and the reasons a 400 gives)', () => {
  it('requires a URL; what it may be is the SSRF policy (added by the server)', () => {
    expect(createErrors({})).toEqual([]);
    expect(createErrors({ url: undefined })).toEqual([{ field: 'url', reason: 'is required' }]);
    expect(createErrors({ url: ' ' })).toEqual([{ field: 'url', reason: 'is required' }]);
    expect(createErrors({ url: 42 })).toEqual([{ field: 'url', reason: 'is required' }]);
  });

  it('checks names and descriptions', () => {
    expect(createErrors({ name: '  ' })).toEqual([{ field: 'name', reason: 'is required' }]);
    expect(createErrors({ name: 'x'.repeat(121) })).toEqual([{ field: 'name', reason: 'must be at most 120 characters' }]);
    expect(createErrors({ name: ` ${'x'.repeat(120)} ` })).toEqual([]);
    expect(createErrors({ name: 'Orders\n' })).toEqual([{ field: 'name', reason: 'must not contain control characters' }]);
    expect(createErrors({ description: null })).toEqual([]);
    expect(createErrors({ description: 'd'.repeat(1001) })).toEqual([{ field: 'description', reason: 'must be at most 1000 characters' }]);
    expect(createErrors({ description: 3 })).toEqual([{ field: 'description', reason: 'must be a string or null' }]);
  });

  it("accepts '*' or known event types, naming each bad entry", () => {
    expect(createErrors({ events: ['contact.created', 'account.merged'] })).toEqual([]);
    expect(createErrors({ events: [] })).toEqual([{ field: 'events', reason: 'must select at least one event type' }]);
    expect(createErrors({ events: 'contact.created' })).toEqual([{ field: 'events', reason: "must be '*' or a list of event types" }]);
    expect(createErrors({ events: ['contact.created', 'contact.exploded', 'contact.created'] })).toEqual([
      { field: 'events[1]', reason: 'unknown event type "contact.exploded"' },
      { field: 'events[2]', reason: "duplicate event type 'contact.created'" },
    ]);
    expect(createErrors({ events: ['contact.created', 7] })).toEqual([{ field: 'events[1]', reason: 'unknown event type 7' }]);
  });

  it('keeps operational events (webhook.*) apart: only by themselves', () => {
    expect(createErrors({ events: ['webhook.disabled', 'webhook.recovered'] })).toEqual([]);
    expect(createErrors({ events: ['contact.created', 'webhook.disabled'] })).toEqual([
      { field: 'events', reason: "operational events (webhook.*) go to the workspace's operational endpoint only: select them without other events" },
    ]);
  });

  it('keeps platform headers out of custom headers', () => {
    expect(createErrors({ headers: { 'X-Team': 'sales' } })).toEqual([]);
    expect(createErrors({ headers: null })).toEqual([]);
    expect(createErrors({ headers: { 'Webhook-Signature': 'v1,forged' } })).toEqual([
      { field: 'headers.Webhook-Signature', reason: 'is set by the platform and cannot be overridden' },
    ]);
    expect(createErrors({ headers: { 'X-Evil': 'a\r\nHost: b' } })).toEqual([{ field: 'headers.X-Evil', reason: 'must be one line of at most 1000 characters' }]);
    expect(createErrors({ headers: { 'bad name': 'x' } })).toEqual([{ field: 'headers.bad name', reason: 'is not a valid header name' }]);
    expect(createErrors({ headers: { 'X-Number': 1 } })).toEqual([{ field: 'headers.X-Number', reason: 'must be a string' }]);
    expect(createErrors({ headers: ['X-Team'] })).toEqual([{ field: 'headers', reason: 'must be an object of header names to values' }]);
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, 'v']));
    expect(createErrors({ headers: many })).toEqual([{ field: 'headers', reason: 'must have at most 20 headers' }]);
  });

  it('bounds the per-endpoint rate limit', () => {
    expect(createErrors({ rateLimitPerSecond: null })).toEqual([]);
    expect(createErrors({ rateLimitPerSecond: 50 })).toEqual([]);
    for (const rate of [0, 2.5, 0.5, 1001, '5']) {
      expect(createErrors({ rateLimitPerSecond: rate })).toEqual([{ field: 'rateLimitPerSecond', reason: 'must be an integer 1–1000, or null for the default' }]);
    }
  });

  it('names unknown fields first, then the fields in the order of the shape', () => {
    expect(createErrors({ colour: 'blue', enabled: 'yes', name: '' })).toEqual([
      { field: 'colour', reason: 'is not a known field' },
      { field: 'name', reason: 'is required' },
      { field: 'enabled', reason: 'must be true or false' },
    ]);
    const update = UPDATE_WEBHOOK.safeParse({ ownerMemberId: 5, name: null });
    expect(update.success || fieldErrors(update.error.issues, Object.keys(UPDATE_WEBHOOK.shape))).toEqual([
      { field: 'name', reason: 'is required' },
      { field: 'ownerMemberId', reason: 'must be a member id' },
    ]);
  });

  it('checks the other bodies the same way', () => {
    const errorsOf = (result: { success: boolean; error?: { issues: Parameters<typeof fieldErrors>[0] } }) => (result.success ? [] : fieldErrors(result.error!.issues));
    expect(errorsOf(RECOVER.safeParse({}))).toEqual([{ field: 'since', reason: 'is required (ISO 8601 time)' }]);
    expect(errorsOf(RECOVER.safeParse({ since: 'yesterday' }))).toEqual([{ field: 'since', reason: 'must be an ISO 8601 time' }]);
    expect(errorsOf(RECOVER.safeParse({ since: '2026-11-30T00:00:00Z', note: 'ignored' }))).toEqual([]);
    expect(errorsOf(TEST_URL.safeParse({ eventType: 'contact.exploded', url: 'https://x.example', secret: 'nope' }))).toEqual([
      { field: 'eventType', reason: "unknown event type 'contact.exploded'" },
      { field: 'secret', reason: 'must be a whsec_ secret (whsec_ + base64 of at least 24 bytes)' },
    ]);
    expect(errorsOf(CREATE_API_KEY.safeParse({ name: 'CI', scopes: ['webhooks:read', 'root'] }))).toEqual([
      { field: 'scopes[1]', reason: 'unknown scope; one of webhooks:read, webhooks:write, events:publish' },
    ]);
    expect(errorsOf(CREATE_API_KEY.safeParse({ name: 'CI', scopes: [] }))).toEqual([{ field: 'scopes', reason: 'must list at least one scope' }]);
    expect(errorsOf(CREATE_API_KEY.safeParse({ name: 'CI', scopes: null }))).toEqual([]);
  });
});
