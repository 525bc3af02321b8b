import { randomBytes } from 'node:crypto';
import type { TestingModule } from '@nestjs/testing';
import {
  type Access,
  type DeliveryJob,
  type EventEnvelope,
  getEventCategory,
  getEventDefinition,
  newId,
  type RejectedRecord,
  type SubscriptionOwner,
  type SubscriptionRecord,
  TOPICS,
  validateDeliveryJob,
} from '@harmony/contracts';
import { loadConfig } from '@harmony/platform-config';
import { KafkaConnection, type KafkaConsumers, KafkaProducer } from '@harmony/platform-kafka';
import { HealthService, MetricsService } from '@harmony/platform-observability';
import { compileServiceModule, eventually, startTestBroker, type TestBroker, TopicRecorder } from '@harmony/testing';
import { SubscriptionView } from '@harmony/webhooks/subscription-view';
import { FAN_OUT_CONSUMERS, FAN_OUT_READINESS_CHECK } from './events.consumer';
import { FanOutModule } from './fan-out.module';

const WS_A = newId('workspace');
const WS_B = newId('workspace');
const WS_EMPTY = newId('workspace');
const TEAM = newId('team');

function owner(overrides: Partial<SubscriptionOwner> = {}): SubscriptionOwner {
  return { memberId: newId('member'), userId: newId('user'), role: 'member', teamIds: [], active: true, ...overrides };
}

function subscription(overrides: Partial<SubscriptionRecord> & Pick<SubscriptionRecord, 'workspaceId' | 'eventTypes' | 'owner'>): SubscriptionRecord {
  const id = newId('subscription');
  return {
    id,
    name: `hook ${id}`,
    url: `https://receiver.example.com/hooks/${id}`,
    enabled: true,
    disabledReason: null,
    rateLimitPerSecond: null,
    headers: {},
    secrets: [{ id: newId('secret'), secret: `whsec_${randomBytes(24).toString('base64')}`, createdAt: '2026-11-27T08:00:00.000Z', expiresAt: null }],
    version: 1,
    updatedAt: '2026-11-27T08:00:00.000Z',
    ...overrides,
  };
}

function envelope(type: string, workspaceId: string, access: Access = { scope: 'workspace' }): EventEnvelope {
  return { id: newId('event'), type, workspaceId, occurredAt: new Date().toISOString(), data: getEventDefinition(type)!.example, access };
}

// Who is who in workspace A.
const admin = owner({ role: 'admin' });
const member = owner();
const teamMember = owner({ teamIds: [TEAM] });
const listedMember = owner();
const outsider = owner();

const subs = {
  memberContactCreated: subscription({ workspaceId: WS_A, eventTypes: ['contact.created'], owner: member }),
  adminAll: subscription({ workspaceId: WS_A, eventTypes: '*', owner: admin }),
  disabled: subscription({ workspaceId: WS_A, eventTypes: ['contact.created'], owner: member, enabled: false, disabledReason: 'paused by a user' }),
  inactiveOwnerAll: subscription({ workspaceId: WS_A, eventTypes: '*', owner: owner({ role: 'admin', active: false }) }),
  teamRecorded: subscription({ workspaceId: WS_A, eventTypes: ['conversation.recorded'], owner: teamMember }),
  listedRecorded: subscription({ workspaceId: WS_A, eventTypes: ['conversation.recorded'], owner: listedMember }),
  outsiderRecorded: subscription({ workspaceId: WS_A, eventTypes: ['conversation.recorded'], owner: outsider }),
  memberUserAdded: subscription({ workspaceId: WS_A, eventTypes: ['user.added', 'contact.created'], owner: member }),
  otherWorkspaceAll: subscription({ workspaceId: WS_B, eventTypes: '*', owner: owner() }),
};

describe('fan-out', () => {
  let broker: TestBroker;
  let app: TestingModule;
  let recorder: TopicRecorder;
  let producer: KafkaProducer;

  async function boot(): Promise<TestingModule> {
    const module = await compileServiceModule('fan-out', FanOutModule, loadConfig({ KAFKA_BROKERS: broker.address, LOG_LEVEL: 'silent' }));
    await module.init();
    await module.get<KafkaConsumers>(FAN_OUT_CONSUMERS).whenReady();
    return module;
  }

  async function publishSubscriptions(records: (SubscriptionRecord | { id: string; value: null | string })[]): Promise<void> {
    await producer.send(
      TOPICS.subscriptions,
      records.map((record) => ('value' in record ? { key: record.id, value: record.value } : { key: record.id, value: JSON.stringify(record) })),
    );
  }

  async function publishEvents(events: EventEnvelope[]): Promise<void> {
    for (const event of events) {
      await producer.send(TOPICS.events(getEventCategory(event.type)!), [{ key: event.workspaceId, value: JSON.stringify(event) }]);
    }
  }

  /** Waits until the fan-out index reflects a change published to webhooks.subscriptions. */
  async function indexed(condition: (view: SubscriptionView) => boolean): Promise<void> {
    await recorder.waitFor(() => condition(app.get(SubscriptionView)));
  }

  const jobs = (): DeliveryJob[] => recorder.values<DeliveryJob>(TOPICS.deliveries);
  const jobsFor = (event: EventEnvelope): string[] =>
    jobs()
      .filter((job) => job.event.id === event.id)
      .map((job) => job.subscriptionId)
      .sort();
  /** Waits for the expected jobs, then a little longer to see that no others follow. */
  async function expectJobs(event: EventEnvelope, expected: SubscriptionRecord[]): Promise<void> {
    await recorder.waitFor(() => jobsFor(event).length >= expected.length);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(jobsFor(event)).toEqual(expected.map((s) => s.id).sort());
  }

  beforeAll(async () => {
    broker = await startTestBroker();
    app = await boot();
    producer = app.get(KafkaProducer);
    recorder = new TopicRecorder(app.get(KafkaConnection), [TOPICS.deliveries, TOPICS.ingestRejected]);
    await recorder.start();
    // Published after fan-out is up: the index follows the compacted topic live.
    await publishSubscriptions(Object.values(subs));
    await publishSubscriptions([{ id: newId('subscription'), value: JSON.stringify({ id: 'not a subscription' }) }]);
    await indexed((view) => view.index.size === Object.keys(subs).length);
  }, 60_000);

  afterAll(async () => {
    await recorder?.stop();
    await app?.close();
    await broker?.close();
  });

  it('is ready once its subscription index has caught up', async () => {
    const report = await app.get(HealthService).readiness();
    expect(report.checks.find((check) => check.name === FAN_OUT_READINESS_CHECK)).toMatchObject({ ok: true });
  });

  it('produces one job per enabled subscription that selected the event and whose owner may see it', async () => {
    const contactCreated = envelope('contact.created', WS_A);
    const restrictedRecording = envelope('conversation.recorded', WS_A, { scope: 'restricted', userIds: [listedMember.userId], teamIds: [TEAM] });
    const userAdded = envelope('user.added', WS_A, { scope: 'admin' });
    const otherWorkspace = envelope('account.created', WS_B);
    const nobodyListens = envelope('contact.created', WS_EMPTY);
    await publishEvents([contactCreated, restrictedRecording, userAdded, otherWorkspace, nobodyListens]);

    await expectJobs(contactCreated, [subs.memberContactCreated, subs.adminAll, subs.memberUserAdded]);
    await expectJobs(restrictedRecording, [subs.adminAll, subs.teamRecorded, subs.listedRecorded]);
    await expectJobs(userAdded, [subs.adminAll]);
    await expectJobs(otherWorkspace, [subs.otherWorkspaceAll]);
    await expectJobs(nobodyListens, []);

    const produced = recorder.messages.filter((message) => message.topic === TOPICS.deliveries);
    for (const message of produced) {
      const job = JSON.parse(message.value!.toString()) as DeliveryJob;
      expect(validateDeliveryJob(job)).toEqual({ ok: true, value: job });
      expect(message.key?.toString()).toBe(job.subscriptionId);
      expect(job).toMatchObject({ attempt: 1, reason: 'new', notBefore: null, firstAttemptAt: null });
      expect(job.workspaceId).toBe(job.event.workspaceId);
    }
    expect(jobs().find((job) => job.event.id === restrictedRecording.id)?.event).toEqual(restrictedRecording);
    expect(new Set(jobs().map((job) => job.jobId)).size).toBe(jobs().length);

    // Counters move right after the produce the test waited for.
    let metrics = '';
    await eventually(async () => {
      metrics = await app.get(MetricsService).text();
      expect(metrics).toContain('fanout_jobs_produced_total{category="contact",service="fan-out"} 3');
      // The outsider on the restricted recording; the member's user.added and the inactive owner's '*' (twice: contact, user).
      expect(metrics).toContain('fanout_permission_drops_total{category="conversation",scope="restricted",service="fan-out"} 2');
      expect(metrics).toContain('fanout_permission_drops_total{category="user",scope="admin",service="fan-out"} 2');
      expect(metrics).toContain('fanout_events_total{category="contact",outcome="no_match",service="fan-out"} 1');
      expect(metrics).toContain('subscriptions_index_records_total{outcome="invalid",service="fan-out"} 1');
    });
    expect(metrics).not.toMatch(/sub_[0-9A-Z]{26}/);
  }, 30_000);

  it('moves an unreadable envelope aside with the reason and its bytes, and keeps going', async () => {
    const notJson = '{"id": "evt_broken"';
    const noAccess: Partial<EventEnvelope> = envelope('contact.created', WS_A);
    delete noAccess.access;
    const after = envelope('contact.created', WS_B);
    await producer.send(TOPICS.events('contact'), [
      { key: WS_A, value: notJson },
      { key: WS_A, value: JSON.stringify(noAccess) },
    ]);
    await publishEvents([after]);
    await recorder.waitFor(() => recorder.values(TOPICS.ingestRejected).length === 2);
    // Handled concurrently and keyed differently (no workspace can be read from the first): any order.
    const rejected = recorder.values<RejectedRecord>(TOPICS.ingestRejected);
    const unparsable = rejected.find((record) => record.eventId === null)!;
    const withoutAccess = rejected.find((record) => record.eventId === noAccess.id)!;
    expect(Buffer.from(unparsable.originalBase64, 'base64').toString()).toBe(notJson);
    expect(unparsable.reason).toMatch(/^fan-out: \/: invalid JSON/);
    expect(unparsable.source).toMatchObject({ kind: 'kafka', topic: TOPICS.events('contact'), key: WS_A });
    expect(withoutAccess).toMatchObject({ eventId: noAccess.id, workspaceId: WS_A, eventType: 'contact.created' });
    expect(withoutAccess.errors).toContainEqual({ path: '', reason: "must have required property 'access'" });
    expect(JSON.parse(Buffer.from(withoutAccess.originalBase64, 'base64').toString())).toEqual(noAccess);
    await expectJobs(after, [subs.otherWorkspaceAll]);
    expect(jobs().some((job) => job.event.id === noAccess.id)).toBe(false);
  }, 30_000);

  it('follows updates and deletions of subscriptions', async () => {
    await publishSubscriptions([
      { ...subs.memberContactCreated, eventTypes: ['contact.updated'], version: 2 },
      { ...subs.disabled, enabled: true, disabledReason: null, version: 2 },
      { id: subs.adminAll.id, value: null },
    ]);
    await indexed(
      (subscriptions) =>
        subscriptions.get(subs.adminAll.id) === undefined && subscriptions.get(subs.disabled.id)?.enabled === true && subscriptions.get(subs.memberContactCreated.id)?.version === 2,
    );
    const created = envelope('contact.created', WS_A);
    const updated = envelope('contact.updated', WS_A);
    await publishEvents([created, updated]);
    await expectJobs(created, [subs.disabled, subs.memberUserAdded]);
    await expectJobs(updated, [subs.memberContactCreated]);
  }, 30_000);

  it('rebuilds its index from the compacted topic after a restart, before it fans out again', async () => {
    await app.close();
    // Published while fan-out is down, a new webhook and then events: the events are
    // handled only once the rebuilt index has caught up, so the new webhook gets its job.
    const createdMeanwhile = subscription({ workspaceId: WS_A, eventTypes: ['contact.created'], owner: member });
    await publishSubscriptions([createdMeanwhile]);
    const created = envelope('contact.created', WS_A);
    const recording = envelope('conversation.recorded', WS_A, { scope: 'restricted', userIds: [], teamIds: [TEAM] });
    await publishEvents([created, recording]);
    app = await boot();
    producer = app.get(KafkaProducer);
    const subscriptions = app.get(SubscriptionView);
    expect(subscriptions.index.size).toBe(Object.keys(subs).length);
    expect(subscriptions.get(subs.adminAll.id)).toBeUndefined();
    expect(subscriptions.get(subs.memberContactCreated.id)?.version).toBe(2);
    await expectJobs(created, [subs.disabled, subs.memberUserAdded, createdMeanwhile]);
    await expectJobs(recording, [subs.teamRecorded]);
  }, 30_000);
});
