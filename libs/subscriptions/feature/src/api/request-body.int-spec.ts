import { REQUEST_BODY_LIMIT_BYTES } from '@harmony/platform-runtime';
import { type Caller, SubscriptionApp } from '../test/subscription-app.fixture';

/**
 * One error shape for request bodies on every JSON endpoint: the API key first
 * (401), then size (413, the limit stated), media type (415), JSON (400), each
 * as `{ errors: [{ field: 'body', reason }] }`.
 */
describe('request bodies on every JSON endpoint', () => {
  let app: SubscriptionApp;
  let admin: Caller;
  let webhookId: string;

  beforeAll(async () => {
    app = await SubscriptionApp.start();
    admin = await app.workspace();
    const created = await app.call('POST', '/v1/webhooks', { key: admin.key, body: { name: 'Body rules', url: 'https://hooks.example.com/b', events: '*' } });
    webhookId = created.body.id;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  }, 30_000);

  const endpoints = (): [string, string][] => [
    ['POST', '/v1/webhooks'],
    ['POST', '/v1/webhooks/test'],
    ['PATCH', `/v1/webhooks/${webhookId}`],
    ['POST', `/v1/webhooks/${webhookId}/test`],
    ['POST', `/v1/webhooks/${webhookId}/recover`],
    ['POST', '/v1/api-keys'],
  ];

  // Bytes, so that fetch adds no Content-Type of its own.
  const raw = async (method: string, path: string, body: string, headers: Record<string, string>) => {
    const response = await fetch(`${app.url}${path}`, { method, headers, body: new TextEncoder().encode(body) });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const bodyError = (reason: string | RegExp) => ({ errors: [{ field: 'body', reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) }] });
  const json = { 'content-type': 'application/json' };
  const auth = (): Record<string, string> => ({ authorization: `Bearer ${admin.key}` });

  it('checks the API key before reading the body: unauthenticated is 401 whatever the body', async () => {
    for (const [method, path] of endpoints()) {
      expect(await raw(method, path, '{"name": "half', json)).toEqual({ status: 401, body: { error: 'unauthenticated', message: expect.any(String) } });
      expect((await raw(method, path, 'x'.repeat(REQUEST_BODY_LIMIT_BYTES + 1), { 'content-type': 'text/plain' })).status).toBe(401);
    }
  });

  it('then the size (413, the limit stated), then the media type (415), then the JSON (400)', async () => {
    const tooLarge = bodyError(`must be at most ${REQUEST_BODY_LIMIT_BYTES} bytes (100 KiB)`);
    for (const [method, path] of endpoints()) {
      const large = `{"name":"${'x'.repeat(REQUEST_BODY_LIMIT_BYTES)}"}`;
      expect(await raw(method, path, large, { ...auth(), ...json })).toEqual({ status: 413, body: tooLarge });
      expect(await raw(method, path, 'x'.repeat(REQUEST_BODY_LIMIT_BYTES + 1), { ...auth(), 'content-type': 'text/plain' })).toEqual({ status: 413, body: tooLarge });
      expect(await raw(method, path, '{"name": "half', { ...auth(), 'content-type': 'text/plain' })).toEqual({
        status: 415,
        body: bodyError('Content-Type must be application/json (got text/plain)'),
      });
      expect(await raw(method, path, '{"name": "x"}', auth())).toEqual({ status: 415, body: bodyError('Content-Type must be application/json') });
      expect(await raw(method, path, '{"name": "half', { ...auth(), ...json })).toEqual({ status: 400, body: bodyError(/^is not valid JSON: /) });
      // `null` is JSON: the route says what it wants instead.
      expect(await raw(method, path, 'null', { ...auth(), ...json })).toEqual({ status: 400, body: bodyError(/^must be a JSON object/) });
    }
  });

  it('accepts application/json with a charset and +json media types', async () => {
    const patched = await raw('PATCH', `/v1/webhooks/${webhookId}`, '{"description":"charset"}', { ...auth(), 'content-type': 'application/json; charset=utf-8' });
    expect(patched).toMatchObject({ status: 200, body: { description: 'charset' } });
    const merged = await raw('PATCH', `/v1/webhooks/${webhookId}`, '{"description":"merge"}', { ...auth(), 'content-type': 'application/merge-patch+json' });
    expect(merged).toMatchObject({ status: 200, body: { description: 'merge' } });
  });
});
