import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getEventDefinition } from '@harmony/contracts';
import { Webhook } from 'standardwebhooks';
import { type Caller, SubscriptionApp } from '../test/subscription-app.fixture';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The Test button against a real receiver on loopback, verified with the Standard Webhooks library. */
describe('Test button', () => {
  let app: SubscriptionApp;
  let admin: Caller;
  let receiver: Server;
  let base: string;
  const received: Received[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ path: request.url ?? '', headers: request.headers, body });
        if (request.url === '/broken') {
          response.writeHead(500, { 'content-type': 'text/plain' }).end('x'.repeat(5_000));
        } else {
          response.writeHead(200, { 'content-type': 'text/plain' }).end('thanks, verified later');
        }
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    app = await SubscriptionApp.start();
    admin = await app.workspace();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  }, 30_000);

  const verify = (request: Received, secret: string): unknown =>
    new Webhook(secret).verify(request.body, {
      'webhook-id': String(request.headers['webhook-id']),
      'webhook-timestamp': String(request.headers['webhook-timestamp']),
      'webhook-signature': String(request.headers['webhook-signature']),
    });

  it("sends a saved webhook the event type's example, signed with its secret, and answers status, latency and the response", async () => {
    const created = await app.call('POST', '/v1/webhooks', {
      key: admin.key,
      body: { name: 'Local receiver', url: `${base}/saved`, events: ['contact.created'], headers: { 'X-Team': 'sales' } },
    });
    expect(created.status).toBe(201);
    const answer = await app.call('POST', `/v1/webhooks/${created.body.id}/test`, { key: admin.key, body: { eventType: 'account.stage_changed' } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ outcome: 'success', status: 200, responseBody: 'thanks, verified later', error: null });
    expect(answer.body.latencyMs).toEqual(expect.any(Number));
    const request = received.find((entry) => entry.path === '/saved')!;
    expect(request.headers['webhook-id']).toBe(answer.body.eventId);
    expect(request.headers['x-team']).toBe('sales');
    expect(verify(request, created.body.secret.secret)).toMatchObject({
      id: answer.body.eventId,
      type: 'account.stage_changed',
      workspace_id: admin.workspaceId,
      data: getEventDefinition('account.stage_changed')!.example,
    });

    // After a rotation both secrets sign: a receiver holding either one verifies.
    const rotated = await app.call('POST', `/v1/webhooks/${created.body.id}/rotate-secret`, { key: admin.key });
    received.length = 0;
    await app.call('POST', `/v1/webhooks/${created.body.id}/test`, { key: admin.key, body: { eventType: 'contact.created' } });
    const [signed] = received;
    expect(String(signed.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of rotated.body.secrets) expect(verify(signed, secret.secret)).toMatchObject({ type: 'contact.created' });
  });

  it('tests a URL not saved yet, signed with a secret it returns', async () => {
    received.length = 0;
    const answer = await app.call('POST', '/v1/webhooks/test', { key: admin.key, body: { url: `${base}/draft`, eventType: 'user.added' } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ outcome: 'success', status: 200, signingSecret: expect.stringMatching(/^whsec_/) });
    expect(verify(received[0], answer.body.signingSecret)).toMatchObject({ type: 'user.added' });
  });

  it('reports a failing receiver: status and the start of its answer', async () => {
    const answer = await app.call('POST', '/v1/webhooks/test', { key: admin.key, body: { url: `${base}/broken`, eventType: 'contact.created' } });
    expect(answer.body).toMatchObject({ outcome: 'failure', status: 500 });
    expect(answer.body.responseBody).toHaveLength(1_024);
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const unreachable = await app.call('POST', '/v1/webhooks/test', { key: admin.key, body: { url: `http://127.0.0.1:${closedPort}/`, eventType: 'contact.created' } });
    expect(unreachable.body).toMatchObject({ outcome: 'failure', status: null, error: { code: expect.any(String) } });
  });

  it('refuses unknown event types, bad URLs and private addresses, naming the field', async () => {
    const unknown = await app.call('POST', '/v1/webhooks/test', { key: admin.key, body: { url: `${base}/x`, eventType: 'contact.exploded' } });
    expect(unknown.body).toEqual({ errors: [{ field: 'eventType', reason: "unknown event type 'contact.exploded'" }] });
    const metadata = await app.call('POST', '/v1/webhooks/test', { key: admin.key, body: { url: 'http://169.254.169.254/latest', eventType: 'contact.created' } });
    expect(metadata.status).toBe(400);
    expect(metadata.body.errors[0]).toMatchObject({ field: 'url' });
    // The same SSRF rules apply when a webhook is saved.
    const privateTarget = await app.call('POST', '/v1/webhooks', { key: admin.key, body: { name: 'Private', url: 'http://10.1.2.3/hook', events: '*' } });
    expect(privateTarget.status).toBe(400);
    expect(privateTarget.body.errors).toEqual([{ field: 'url', reason: expect.stringMatching(/private|refused|not allowed/i) }]);
  });

  it("logs a saved webhook's test in its delivery log, marked test with the API key that asked; recover never re-sends it", async () => {
    const created = await app.call('POST', '/v1/webhooks', { key: admin.key, body: { name: 'Logged tests', url: `${base}/broken`, events: '*' } });
    const answer = await app.call('POST', `/v1/webhooks/${created.body.id}/test`, { key: admin.key, body: { eventType: 'contact.created' } });
    expect(answer.body).toMatchObject({ outcome: 'failure', status: 500 });
    const log = await app.call('GET', `/v1/webhooks/${created.body.id}/deliveries`, { key: admin.key });
    expect(log.body.data).toHaveLength(1);
    const [row] = log.body.data;
    expect(row).toMatchObject({
      eventId: answer.body.eventId,
      eventType: 'contact.created',
      outcome: 'failure',
      httpStatus: 500,
      trigger: 'test',
      requestedBy: { apiKeyId: expect.any(String), apiKeyName: expect.any(String), memberId: admin.memberId },
      responseHeaders: expect.objectContaining({ 'content-type': 'text/plain' }),
      nextAttemptAt: null,
    });
    const keys = await app.call('GET', '/v1/api-keys', { key: admin.key });
    const key = keys.body.data.find((entry: { id: string }) => entry.id === row.requestedBy.apiKeyId);
    expect(key).toMatchObject({ name: row.requestedBy.apiKeyName });
    // The body sent is shown like an event's.
    expect(JSON.parse(row.requestBody)).toMatchObject({ id: answer.body.eventId, type: 'contact.created' });
    // A failed test is no failed delivery: recover has nothing to re-send, and endpoint health did not move.
    const recovered = await app.call('POST', `/v1/webhooks/${created.body.id}/recover`, { key: admin.key, body: { since: new Date(Date.now() - 60_000).toISOString() } });
    expect(recovered.body).toMatchObject({ queued: 0 });
    expect((await app.call('GET', `/v1/webhooks/${created.body.id}`, { key: admin.key })).body.health.failingSince).toBeNull();
  });

  it("does not log the edit form's Test of a URL not saved yet under the webhook (decision 0118)", async () => {
    const created = await app.call('POST', '/v1/webhooks', { key: admin.key, body: { name: 'Being edited', url: `${base}/saved`, events: '*' } });
    // The edit form with a changed URL tests it as a URL, signed with a throwaway secret, not the webhook's.
    const answer = await app.call('POST', '/v1/webhooks/test', { key: admin.key, body: { url: `${base}/draft`, eventType: 'contact.created' } });
    expect(answer.body).toMatchObject({ outcome: 'success', signingSecret: expect.stringMatching(/^whsec_/) });
    expect((await app.call('GET', `/v1/webhooks/${created.body.id}/deliveries`, { key: admin.key })).body.data).toEqual([]);
    expect((await app.call('GET', `/v1/events/${answer.body.eventId}/deliveries`, { key: admin.key })).body.data).toEqual([]);
  });
});
