import type { TestingModule } from '@nestjs/testing';
import { CONTACT_CREATED, type EventEnvelope, type RejectedRecord, TOPICS } from '@harmony/contracts';
import { loadConfig } from '@harmony/platform-config';
import { KafkaConnection, KafkaProducer } from '@harmony/platform-kafka';
import { MetricsService } from '@harmony/platform-observability';
import { compileServiceModule, eventually, startTestBroker, type TestBroker, TopicRecorder } from '@harmony/testing';
import { EventIngestModule } from './event-ingest.module';

function upstreamEvent(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    type: 'contact.created',
    workspaceId: 'ws_01JD8ZQ7Y8M5V3R2K9T4N6P0AB',
    occurredAt: '2026-11-27T08:00:00.000Z',
    data: CONTACT_CREATED.example,
    ...overrides,
  };
}

describe('event-ingest (Kafka path)', () => {
  let broker: TestBroker;
  let app: TestingModule;
  let recorder: TopicRecorder;

  async function boot(): Promise<TestingModule> {
    const config = loadConfig({ KAFKA_BROKERS: broker.address, LOG_LEVEL: 'silent', INGEST_DEDUPE_WINDOW_MS: '3600000' });
    const module = await compileServiceModule('event-ingest', EventIngestModule, config);
    await module.init();
    return module;
  }

  async function publishUpstream(values: (string | object)[]): Promise<void> {
    await app.get(KafkaProducer).send(
      TOPICS.upstream('contact'),
      values.map((value) => ({ key: 'upstream-key', value: typeof value === 'string' ? value : JSON.stringify(value) })),
    );
  }

  beforeAll(async () => {
    broker = await startTestBroker();
    app = await boot();
    recorder = new TopicRecorder(app.get(KafkaConnection), [TOPICS.events('contact'), TOPICS.ingestRejected]);
    await recorder.start();
  }, 60_000);

  afterAll(async () => {
    await recorder?.stop();
    await app?.close();
    await broker?.close();
  });

  it('forwards a valid event as an envelope keyed by workspace, with the default access filled in', async () => {
    await publishUpstream([upstreamEvent('evt_01JD8ZQ7Y8M5V3R2K9T4N6P0A1')]);
    await recorder.waitFor(() => recorder.values(TOPICS.events('contact')).length === 1);
    const [message] = recorder.messages.filter((m) => m.topic === TOPICS.events('contact'));
    expect(message.key?.toString()).toBe('ws_01JD8ZQ7Y8M5V3R2K9T4N6P0AB');
    expect(message.headers['event-type']).toBe('contact.created');
    const envelope = JSON.parse(message.value!.toString()) as EventEnvelope;
    expect(envelope).toEqual({ ...upstreamEvent('evt_01JD8ZQ7Y8M5V3R2K9T4N6P0A1'), access: { scope: 'workspace' } });
  }, 30_000);

  it('moves invalid events aside with the reason and the original bytes, and keeps going', async () => {
    const notJson = '{"id": "evt_broken"';
    const wrongType = upstreamEvent('evt_01JD8ZQ7Y8M5V3R2K9T4N6P0A2', { type: 'contact.exploded' });
    const badData = upstreamEvent('evt_01JD8ZQ7Y8M5V3R2K9T4N6P0A3', { data: { ...CONTACT_CREATED.example, contact: 'nope' } });
    const good = upstreamEvent('evt_01JD8ZQ7Y8M5V3R2K9T4N6P0A4');
    await publishUpstream([notJson, wrongType, badData, good]);
    await recorder.waitFor(() => recorder.values(TOPICS.ingestRejected).length === 3);
    await recorder.waitFor(() => recorder.values(TOPICS.events('contact')).length === 2);
    // Records are ingested concurrently: the rejects may come in any order.
    const rejected = recorder.values<RejectedRecord>(TOPICS.ingestRejected);
    const unreadable = rejected.find((record) => record.eventId === null);
    expect(Buffer.from(unreadable!.originalBase64, 'base64').toString()).toBe(notJson);
    expect(unreadable!.source).toMatchObject({ kind: 'kafka', topic: TOPICS.upstream('contact'), key: 'upstream-key' });
    expect(rejected.find((record) => record.eventId === 'evt_01JD8ZQ7Y8M5V3R2K9T4N6P0A2')).toMatchObject({
      reason: "/type: unknown event type 'contact.exploded'",
    });
    expect(rejected.find((record) => record.eventId === 'evt_01JD8ZQ7Y8M5V3R2K9T4N6P0A3')!.errors[0]).toEqual({ path: '/data/contact', reason: 'must be object' });
  }, 30_000);

  it('drops a re-sent event id of the same workspace, also after an ingest restart; never another workspace\'s event with that id', async () => {
    const event = upstreamEvent('evt_01JD8ZQ7Y8M5V3R2K9T4N6P0A5');
    const otherWorkspace = 'ws_01JD8ZQ7Y8M5V3R2K9T4N6P0BB';
    const thirdWorkspace = 'ws_01JD8ZQ7Y8M5V3R2K9T4N6P0CC';
    const forwarded = (workspaceId = event.workspaceId): number =>
      recorder.values<EventEnvelope>(TOPICS.events('contact')).filter((e) => e.id === event.id && e.workspaceId === workspaceId).length;
    await publishUpstream([event, event, upstreamEvent(event.id, { workspaceId: otherWorkspace })]);
    await recorder.waitFor(() => forwarded() === 1 && forwarded(otherWorkspace) === 1);

    // The window rebuilt from the events topics is keyed by workspace too.
    await app.close();
    app = await boot();
    await publishUpstream([event, upstreamEvent(event.id, { workspaceId: otherWorkspace }), upstreamEvent(event.id, { workspaceId: thirdWorkspace })]);
    await recorder.waitFor(() => forwarded(thirdWorkspace) === 1);
    expect(forwarded()).toBe(1);
    expect(forwarded(otherWorkspace)).toBe(1);
    await eventually(async () =>
      expect(await app.get(MetricsService).text()).toMatch(/ingest_events_total\{outcome="duplicate",source="kafka",service="event-ingest"\} 2/),
    );
  }, 60_000);
});
