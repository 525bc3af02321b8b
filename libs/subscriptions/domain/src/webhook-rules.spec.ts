import { checkDescription, checkEventTypes, checkHeaders, checkName, checkRateLimit, checkUrlPresent, isOperationalSelection } from './webhook-rules';

describe('webhook input rules', () => {
  it('requires a URL; what it may be is the SSRF policy (delivery domain)', () => {
    expect(checkUrlPresent('https://hooks.example.com/x')).toEqual([]);
    expect(checkUrlPresent(undefined)).toEqual([{ field: 'url', reason: 'is required' }]);
    expect(checkUrlPresent(' ')).toEqual([{ field: 'url', reason: 'is required' }]);
    expect(checkUrlPresent(42)).toEqual([{ field: 'url', reason: 'is required' }]);
  });

  it('checks names and descriptions', () => {
    expect(checkName('Orders')).toEqual([]);
    expect(checkName('  ')).toEqual([{ field: 'name', reason: 'is required' }]);
    expect(checkName('x'.repeat(121))[0].reason).toMatch(/at most 120/);
    expect(checkDescription(null)).toEqual([]);
    expect(checkDescription('d'.repeat(1001))[0].field).toBe('description');
  });

  it("accepts '*' or known event types, naming each bad entry", () => {
    expect(checkEventTypes('*')).toEqual([]);
    expect(checkEventTypes(['contact.created', 'account.merged'])).toEqual([]);
    expect(checkEventTypes([])).toEqual([{ field: 'events', reason: 'must select at least one event type' }]);
    expect(checkEventTypes(['contact.created', 'contact.exploded', 'contact.created'])).toEqual([
      { field: 'events[1]', reason: 'unknown event type "contact.exploded"' },
      { field: 'events[2]', reason: "duplicate event type 'contact.created'" },
    ]);
  });

  it('keeps operational events (webhook.*) apart: only by themselves, for the operational endpoint', () => {
    expect(checkEventTypes(['webhook.disabled', 'webhook.recovered'])).toEqual([]);
    expect(checkEventTypes(['contact.created', 'webhook.disabled'])).toEqual([
      { field: 'events', reason: "operational events (webhook.*) go to the workspace's operational endpoint only: select them without other events" },
    ]);
    expect(isOperationalSelection(['webhook.disabled'])).toBe(true);
    expect(isOperationalSelection(['contact.created'])).toBe(false);
    expect(isOperationalSelection('*')).toBe(false);
  });

  it('keeps platform headers out of custom headers', () => {
    expect(checkHeaders({ 'X-Team': 'sales' })).toEqual([]);
    expect(checkHeaders({ 'Webhook-Signature': 'v1,forged' })).toEqual([
      { field: 'headers.Webhook-Signature', reason: 'is set by the platform and cannot be overridden' },
    ]);
    expect(checkHeaders({ 'X-Evil': 'a\r\nHost: b' })[0].field).toBe('headers.X-Evil');
    expect(checkHeaders({ 'bad name': 'x' })[0].reason).toBe('is not a valid header name');
  });

  it('bounds the per-endpoint rate limit', () => {
    expect(checkRateLimit(null)).toEqual([]);
    expect(checkRateLimit(50)).toEqual([]);
    expect(checkRateLimit(0)[0].field).toBe('rateLimitPerSecond');
    expect(checkRateLimit(2.5)).toHaveLength(1);
  });
});
