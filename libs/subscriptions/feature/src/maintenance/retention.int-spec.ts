import { newId, TOPICS } from '@harmony/contracts';
import { type Caller, eventually, SubscriptionApp, type TopicCollector } from '../test/subscription-app.fixture';
import { RetentionJob } from './retention.job';

const DAY = 24 * 60 * 60 * 1000;

describe('retention job', () => {
  let app: SubscriptionApp;
  let admin: Caller;
  let snapshots: TopicCollector;

  beforeAll(async () => {
    app = await SubscriptionApp.start({ DELIVERY_LOG_RETENTION_DAYS: '30' });
    admin = await app.workspace();
    snapshots = await app.collect(TOPICS.subscriptions);
  }, 60_000);

  afterAll(async () => {
    await snapshots?.stop();
    await app?.close();
  }, 30_000);

  async function insertAttempt(subscriptionId: string, finishedAt: Date): Promise<string> {
    const id = newId('attempt');
    await app.dataSource.query(
      `INSERT INTO delivery_attempts (id, workspace_id, subscription_id, job_id, event_id, event_type, attempt, outcome, url, started_at, finished_at)
       VALUES ($1, $2, $3, $4, $5, 'contact.created', 1, 'success', 'https://hooks.example.com/', $6, $6)`,
      [id, admin.workspaceId, subscriptionId, newId('job'), newId('event'), finishedAt],
    );
    return id;
  }

  it('deletes log rows and payloads past the retention and retires expired secrets', async () => {
    const { body: webhook } = await app.call('POST', '/v1/webhooks', { key: admin.key, body: { name: 'Old', url: 'https://hooks.example.com/', events: '*' } });
    const now = new Date();
    const old = await insertAttempt(webhook.id, new Date(now.getTime() - 31 * DAY));
    const recent = await insertAttempt(webhook.id, new Date(now.getTime() - 28 * DAY));
    await app.dataSource.query(
      `INSERT INTO event_payloads (event_id, workspace_id, event_type, envelope, received_at) VALUES ($1, $2, 'contact.created', '{}', $3), ($4, $2, 'contact.created', '{}', $5)`,
      [newId('event'), admin.workspaceId, new Date(now.getTime() - 31 * DAY), newId('event'), now],
    );
    const rotated = await app.call('POST', `/v1/webhooks/${webhook.id}/rotate-secret`, { key: admin.key });
    expect(rotated.body.secrets).toHaveLength(2);

    // A day later the rotated-out secret has expired.
    const result = await app.get(RetentionJob).run(new Date(now.getTime() + DAY + 60_000));
    expect(result).toMatchObject({ secrets: 1 });
    expect(result.attempts).toBe(1);
    expect(result.payloads).toBe(1);

    const ids = (await app.call('GET', `/v1/webhooks/${webhook.id}/deliveries?limit=200`, { key: admin.key })).body.data.map((row: { id: string }) => row.id);
    expect(ids).not.toContain(old);
    expect(ids).toContain(recent);
    const secrets = await app.call('GET', `/v1/webhooks/${webhook.id}/secrets`, { key: admin.key });
    expect(secrets.body.secrets).toEqual([rotated.body.secrets[0]]);
    await eventually(() => expect(snapshots.forKey(webhook.id).at(-1)?.value.secrets.map((s: { id: string }) => s.id)).toEqual([rotated.body.secrets[0].id]));
  });
});
