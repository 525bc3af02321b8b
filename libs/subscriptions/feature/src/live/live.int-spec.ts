import { TOPICS } from '@harmony/contracts';
import { attemptOf, type Caller, eventually, SubscriptionApp } from '../test/subscription-app.fixture';
import { LiveStreamReader } from '../test/live-stream.reader';
import { LIVE_HEARTBEAT_MS, MAX_LIVE_STREAMS_PER_KEY } from './live.controller';

/** "Appears within a second": from the attempt record on Kafka to the event on the stream. */
const WITHIN_MS = 1_000;

/** GET /v1/live over real HTTP: what it pushes, to whom, and how fast, against the real consumers and database. */
describe('live stream (GET /v1/live)', () => {
  let app: SubscriptionApp;
  let admin: Caller;
  let alice: Caller;
  let bob: Caller;
  let stranger: Caller;
  let alicesWebhook: string;
  const open: LiveStreamReader[] = [];

  beforeAll(async () => {
    app = await SubscriptionApp.start();
    admin = await app.workspace();
    alice = await app.member(admin, 'member');
    bob = await app.member(admin, 'member');
    stranger = await app.workspace();
    alicesWebhook = await app.webhook(alice.key, 'Alice CRM');
  }, 60_000);

  afterAll(async () => {
    open.forEach((stream) => stream.close());
    await app?.close();
  }, 30_000);

  async function stream(target: SubscriptionApp, caller: Caller): Promise<LiveStreamReader> {
    const reader = await LiveStreamReader.open(target.url, caller.key);
    expect(reader.status).toBe(200);
    open.push(reader);
    await eventually(() => expect(reader.events.map((event) => event.event)).toContain('ready'));
    return reader;
  }

  it('needs a key with webhooks:read in the Authorization header', async () => {
    expect((await LiveStreamReader.open(app.url, null)).status).toBe(401);
    expect((await LiveStreamReader.open(app.url, 'hwk_not-a-key')).status).toBe(401);
    const publisher = await app.member(admin, 'admin', ['events:publish']);
    expect((await LiveStreamReader.open(app.url, publisher.key)).status).toBe(403);
  });

  it('pushes a logged delivery within a second, to the admin and the owner only, never to another workspace', async () => {
    const [adminStream, aliceStream, bobStream, strangerStream] = [await stream(app, admin), await stream(app, alice), await stream(app, bob), await stream(app, stranger)];
    // The delivery-log consumer has joined once the first record arrives; time the ones after it.
    await produceAttempt(app, alice, alicesWebhook);
    await eventually(() => expect(aliceStream.about('delivery', alicesWebhook)).toHaveLength(1), 30_000);

    for (let i = 0; i < 3; i++) {
      const before = aliceStream.about('delivery', alicesWebhook).length;
      const sent = Date.now();
      await produceAttempt(app, alice, alicesWebhook);
      await eventually(() => expect(aliceStream.about('delivery', alicesWebhook).length).toBeGreaterThan(before), 5_000);
      expect(aliceStream.about('delivery', alicesWebhook)[before]!.at - sent).toBeLessThan(WITHIN_MS);
    }
    await eventually(() => expect(adminStream.about('delivery', alicesWebhook)).toHaveLength(4));
    // What the owner's and the admin's streams got, the others never do.
    expect(bobStream.about('delivery', alicesWebhook)).toEqual([]);
    expect(strangerStream.events.map((event) => event.event)).toEqual(['ready']);
    expect(bobStream.events.map((event) => event.event)).toEqual(['ready']);
    // The pushed event names the webhook; the log itself is read through the API.
    expect(aliceStream.about('delivery', alicesWebhook)[0]!.data).toEqual({ webhookId: alicesWebhook });
  }, 60_000);

  it('pushes webhook changes: created, changed and deleted', async () => {
    const aliceStream = await stream(app, alice);
    const bobStream = await stream(app, bob);
    const id = await app.webhook(alice.key, 'Alice billing');
    await eventually(() => expect(aliceStream.about('webhook', id)).toHaveLength(1));
    expect((await app.call('PATCH', `/v1/webhooks/${id}`, { key: alice.key, body: { enabled: false } })).status).toBe(200);
    await eventually(() => expect(aliceStream.about('webhook', id)).toHaveLength(2));
    expect((await app.call('DELETE', `/v1/webhooks/${id}`, { key: alice.key })).status).toBe(204);
    await eventually(() => expect(aliceStream.about('webhook', id)).toHaveLength(3));
    expect(bobStream.about('webhook', id)).toEqual([]);
  }, 30_000);

  it('refuses an eleventh stream of one key with 429 until one of its ten closes; other keys are not affected', async () => {
    const dave = await app.member(admin, 'member');
    const streams: LiveStreamReader[] = [];
    for (let i = 0; i < MAX_LIVE_STREAMS_PER_KEY; i++) streams.push(await stream(app, dave));
    const refused = await LiveStreamReader.open(app.url, dave.key);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body)).toEqual({ error: 'too_many_requests', message: expect.stringContaining(`at most ${MAX_LIVE_STREAMS_PER_KEY}`) });
    await stream(app, bob);
    streams[0]!.close();
    await eventually(async () => {
      const again = await LiveStreamReader.open(app.url, dave.key);
      if (again.status === 200) open.push(again);
      else again.close();
      expect(again.status).toBe(200);
    });
  }, 30_000);

  it('ends the stream once its key is revoked', async () => {
    const carol = await app.member(admin, 'member');
    const carolStream = await stream(app, carol);
    const keys = await app.call('GET', '/v1/api-keys', { key: admin.key });
    const carolsKey = (keys.body.data as { id: string; memberId: string }[]).find((key) => key.memberId === carol.memberId)!;
    expect((await app.call('DELETE', `/v1/api-keys/${carolsKey.id}`, { key: admin.key })).status).toBe(204);
    const ended = await Promise.race([carolStream.ended.then(() => 'ended'), new Promise((resolve) => setTimeout(() => resolve('open'), LIVE_HEARTBEAT_MS + 5_000))]);
    expect(ended).toBe('ended');
  }, LIVE_HEARTBEAT_MS + 15_000);

  describe('several replicas (PostgreSQL)', () => {
    const onPostgres = Boolean(process.env['DATABASE_URL']);
    (onPostgres ? it : it.skip)("a page on replica B sees, within a second, a change replica A wrote and a delivery whichever replica's consumer logged", async () => {
      const replica = await SubscriptionApp.start({}, { replicaOf: app });
      try {
        const onB = await stream(replica, alice);
        const sent = Date.now();
        const id = await app.webhook(alice.key, 'Written on A');
        await eventually(() => expect(onB.about('webhook', id)).toHaveLength(1), 5_000);
        expect(onB.about('webhook', id)[0]!.at - sent).toBeLessThan(WITHIN_MS);
        // The two replicas share the delivery-log group: either may log it; B's page sees it either way.
        for (let i = 0; i < 4; i++) {
          const before = onB.about('delivery', id).length;
          const at = Date.now();
          await produceAttempt(app, alice, id);
          await eventually(() => expect(onB.about('delivery', id).length).toBeGreaterThan(before), 10_000);
          if (i > 0) expect(onB.about('delivery', id)[before]!.at - at).toBeLessThan(WITHIN_MS);
        }
      } finally {
        await replica.close();
      }
    }, 90_000);
    if (!onPostgres) console.log('several replicas: skipped on PGlite (one process owns it); runs under npm run test:postgres');
  });
});

async function produceAttempt(app: SubscriptionApp, caller: Caller, subscriptionId: string): Promise<void> {
  await app.produce(TOPICS.attempts, [{ key: subscriptionId, value: attemptOf(caller.workspaceId, subscriptionId) }]);
}
