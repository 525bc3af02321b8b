import type { INestApplication } from '@nestjs/common';
import { type ApiKeyRecord, CONTACT_CREATED, type EventEnvelope, newId, TOPICS } from '@harmony/contracts';
import { loadConfig } from '@harmony/platform-config';
import { REQUEST_BODY_LIMIT_BYTES } from '@harmony/platform-runtime';
import { KafkaConnection, KafkaProducer } from '@harmony/platform-kafka';
import { generateApiKey } from '@harmony/webhooks/domain';
import { compileServiceModule, startTestBroker, type TestBroker, TopicRecorder } from '@harmony/testing';
import { EventIngestModule } from './event-ingest.module';

describe('POST /v1/events', () => {
  let broker: TestBroker;
  let app: INestApplication;
  let url: string;
  let recorder: TopicRecorder;
  const workspaceId = newId('workspace');
  const publisher = generateApiKey();
  const reader = generateApiKey();
  const revoked = generateApiKey();
  const otherWorkspaceId = newId('workspace');
  const otherPublisher = generateApiKey();

  function keyRecord(key: ReturnType<typeof generateApiKey>, scopes: string[], isRevoked = false, workspace = workspaceId): ApiKeyRecord {
    return { keyId: newId('apiKey'), keyHash: key.hash, workspaceId: workspace, memberId: newId('member'), scopes, revoked: isRevoked, updatedAt: new Date().toISOString() };
  }

  function event(overrides: Record<string, unknown> = {}) {
    return { id: newId('event'), type: 'contact.created', workspaceId, occurredAt: new Date().toISOString(), data: CONTACT_CREATED.example, ...overrides };
  }

  async function post(body: unknown, key: string | null = publisher.key): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  beforeAll(async () => {
    broker = await startTestBroker();
    const config = loadConfig({ KAFKA_BROKERS: broker.address, LOG_LEVEL: 'silent' });
    const module = await compileServiceModule('event-ingest', EventIngestModule, config);
    app = module.createNestApplication({ logger: false, bodyParser: false });
    await app.init();
    // The keys subscription-service would publish, written before ingest reads them.
    await app.get(KafkaProducer).send(
      TOPICS.apiKeys,
      [
        keyRecord(publisher, ['events:publish']),
        keyRecord(reader, ['webhooks:read']),
        keyRecord(revoked, ['events:publish'], true),
        keyRecord(otherPublisher, ['events:publish'], false, otherWorkspaceId),
      ].map((record) => ({
        key: record.keyHash,
        value: JSON.stringify(record),
      })),
    );
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    recorder = new TopicRecorder(app.get(KafkaConnection), [TOPICS.events('contact')]);
    await recorder.start();
    // Keys published after start are picked up as they arrive.
    const deadline = Date.now() + 10_000;
    while ((await post(event())).status === 401 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  }, 60_000);

  afterAll(async () => {
    await recorder?.stop();
    await app?.close();
    await broker?.close();
  });

  it('refuses requests without a valid, unrevoked key with the publish scope', async () => {
    expect((await post(event(), null)).status).toBe(401);
    expect((await post(event(), 'hwk_not-a-real-key')).status).toBe(401);
    expect(await post(event(), revoked.key)).toEqual({ status: 401, body: { error: 'unauthenticated', message: 'unknown or revoked API key' } });
    expect(await post(event(), reader.key)).toEqual({ status: 403, body: { error: 'forbidden', message: 'this API key lacks the events:publish scope' } });
  });

  it('checks the key before the body, then size (413, limit stated), media type (415) and JSON (400), in the one error shape', async () => {
    const raw = async (body: string, headers: Record<string, string>) => {
      const response = await fetch(`${url}/v1/events`, { method: 'POST', headers, body: new TextEncoder().encode(body) });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    const json = { 'content-type': 'application/json' };
    const auth = { authorization: `Bearer ${publisher.key}` };
    const bodyError = (reason: unknown) => ({ errors: [{ field: 'body', reason }] });
    const large = 'x'.repeat(REQUEST_BODY_LIMIT_BYTES + 1);

    expect(await raw('{"id": ', json)).toEqual({ status: 401, body: { error: 'unauthenticated', message: expect.any(String) } });
    expect((await raw(large, { 'content-type': 'text/plain' })).status).toBe(401);
    expect((await raw('{"id": ', { ...json, authorization: `Bearer ${reader.key}` })).status).toBe(403);
    expect(await raw(large, { ...auth, 'content-type': 'text/plain' })).toEqual({ status: 413, body: bodyError(`must be at most ${REQUEST_BODY_LIMIT_BYTES} bytes (100 KiB)`) });
    expect(await raw(JSON.stringify(event()), { ...auth, 'content-type': 'text/plain' })).toEqual({ status: 415, body: bodyError('Content-Type must be application/json (got text/plain)') });
    expect(await raw('{"id": ', { ...auth, ...json })).toEqual({ status: 400, body: bodyError(expect.stringMatching(/^is not valid JSON: /)) });
    expect(await raw('null', { ...auth, ...json })).toEqual({ status: 400, body: { errors: [{ field: '', reason: 'must be object' }] } });
  });

  it('answers 400 with the path and reason of every bad event, forwarding none of the batch', async () => {
    const good = event();
    const response = await post([good, event({ type: 'contact.exploded' }), event({ workspaceId: newId('workspace') }), event({ data: { ...CONTACT_CREATED.example, contact: 42 } })]);
    expect(response.status).toBe(400);
    expect(response.body['errors']).toEqual([
      { field: '/1/type', reason: "unknown event type 'contact.exploded'" },
      { field: '/2/workspaceId', reason: "must be the API key's workspace" },
      { field: '/3/data/contact', reason: 'must be object' },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(recorder.values<EventEnvelope>().some((envelope) => envelope.id === good.id)).toBe(false);
  });

  it('accepts one event or a batch, forwards envelopes, and reports duplicates', async () => {
    const single = event();
    expect(await post(single)).toEqual({ status: 202, body: { accepted: [single.id], duplicates: [] } });
    const second = event();
    expect(await post([second, single])).toEqual({ status: 202, body: { accepted: [second.id], duplicates: [single.id] } });
    await recorder.waitFor(() => recorder.values<EventEnvelope>().filter((envelope) => [single.id, second.id].includes(envelope.id)).length === 2);
    const forwarded = recorder.values<EventEnvelope>().find((envelope) => envelope.id === single.id);
    expect(forwarded).toMatchObject({ ...single, access: { scope: 'workspace' } });
  });

  it("dedupes per workspace: another workspace's event with an id already used is accepted and forwarded", async () => {
    const mine = event();
    const theirs = { ...mine, workspaceId: otherWorkspaceId };
    expect(await post(mine)).toEqual({ status: 202, body: { accepted: [mine.id], duplicates: [] } });
    expect(await post(theirs, otherPublisher.key)).toEqual({ status: 202, body: { accepted: [mine.id], duplicates: [] } });
    expect(await post(theirs, otherPublisher.key)).toEqual({ status: 202, body: { accepted: [], duplicates: [mine.id] } });
    await recorder.waitFor(() => recorder.values<EventEnvelope>().filter((envelope) => envelope.id === mine.id).length === 2);
    expect(new Set(recorder.values<EventEnvelope>().filter((envelope) => envelope.id === mine.id).map((envelope) => envelope.workspaceId))).toEqual(
      new Set([workspaceId, otherWorkspaceId]),
    );
  });
});
