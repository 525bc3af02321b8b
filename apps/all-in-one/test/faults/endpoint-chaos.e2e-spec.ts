import { writeFileSync } from 'node:fs';
import { type AttemptRecord, type DeliveryJob, TOPICS } from '@harmony/contracts';
import { loadConfig } from '@harmony/platform-config';
import { KafkaConnection } from '@harmony/platform-kafka';
import { createLogger } from '@harmony/platform-observability';
import { type BrokerProcess, printLedger, sleep, tempDir, TopicRecorder, waitUntil } from '@harmony/testing';
import { type App, contactCreated, type Receiver, spawnApp, startBrokerProcess, startReceiver } from './fault-harness';

/**
 * Hostile endpoints with time compressed (RETRY_DELAY_SCALE 0.0001: the
 * 27.6 h retry schedule takes ~10 s). The receiver rotates through 500 /
 * hanging past the request timeout / 429 with Retry-After / connection reset /
 * 200. Every job must end delivered or exhausted in the dead-letter topic —
 * none parked — and none may spin: the attempt records per job stay bounded.
 */
describe('endpoint chaos', () => {
  const WEBHOOKS = 3;
  const EVENTS = 40;
  /** Attempts (8) plus deferrals: with deferrals floored at their tier and bounded by the deadline, far below a spin's hundreds. */
  const MAX_RECORDS_PER_JOB = 40;
  const behaviours = ['500', 'hang', '429', 'reset', '200'] as const;
  let broker: BrokerProcess;
  let app: App;
  let receiver: Receiver;
  let recorder: TopicRecorder;
  let connection: KafkaConnection;
  const brokerDir = tempDir();
  const dataDir = tempDir();
  /** 200 answers per (path, webhook-id): more than one is a duplicate delivery. */
  const answered200 = new Map<string, number>();

  beforeAll(async () => {
    receiver = await startReceiver((request, response, seq) => {
      const behaviour = behaviours[seq % behaviours.length];
      const job = `${request.url} ${String(request.headers['webhook-id'])}`;
      if (behaviour === '500') response.writeHead(500).end('boom');
      else if (behaviour === 'hang') setTimeout(() => response.destroyed || response.writeHead(200).end('too late'), 1_500);
      else if (behaviour === '429') response.writeHead(429, { 'retry-after': '1' }).end('slow down');
      else if (behaviour === 'reset') request.socket.destroy();
      else {
        answered200.set(job, (answered200.get(job) ?? 0) + 1);
        response.writeHead(200).end('ok');
      }
    });
    broker = await startBrokerProcess(brokerDir.path);
    app = await spawnApp({ KAFKA_BROKERS: broker.address, DATA_DIR: dataDir.path, RETRY_DELAY_SCALE: '0.0001', WEBHOOK_TIMEOUT_MS: '500' });
    connection = await KafkaConnection.open(loadConfig({ KAFKA_BROKERS: broker.address, LOG_LEVEL: 'silent' }), createLogger({ service: 'chaos', level: 'silent' }));
    recorder = new TopicRecorder(connection, [TOPICS.attempts, TOPICS.deliveriesDlq]);
    await recorder.start();
    await waitUntil(async () => (await fetch(`${app.service.url}/ready`)).status === 200, 'the app to be ready', 60_000);
  }, 120_000);

  afterAll(async () => {
    if (process.env['FAULTS_LOG_DIR'] && app) writeFileSync(`${process.env['FAULTS_LOG_DIR']}/endpoint-chaos.log`, app.service.output.join('\n'));
    await recorder?.stop();
    await app?.service.stop();
    await broker?.stop();
    await receiver?.close();
    brokerDir.remove();
    dataDir.remove();
  }, 60_000);

  it('every job ends delivered or exhausted in the DLQ, none parked, none spinning', async () => {
    const started = Date.now();
    const webhooks: string[] = [];
    for (let i = 0; i < WEBHOOKS; i++) {
      const created = await app.api<{ id: string }>('POST', '/v1/webhooks', { name: `chaos ${i}`, url: `${receiver.url}/chaos-${i}`, events: ['contact.created'] });
      expect(created.status).toBe(201);
      webhooks.push(created.body.id);
    }
    await sleep(1_000); // the webhooks reach the pipeline's views
    const events = Array.from({ length: EVENTS }, () => contactCreated(app.workspaceId));
    for (let i = 0; i < events.length; i += 20) expect((await app.api('POST', '/v1/events', events.slice(i, i + 20))).status).toBe(202);

    const jobKey = (subscriptionId: string, eventId: string): string => `${subscriptionId} ${eventId}`;
    const expected = webhooks.flatMap((subscriptionId) => events.map((event) => jobKey(subscriptionId, event.id)));
    const outcome = (): { delivered: Set<string>; exhausted: Set<string>; records: Map<string, number> } => {
      const delivered = new Set<string>();
      const exhausted = new Set<string>();
      const records = new Map<string, number>();
      for (const record of recorder.values<AttemptRecord>(TOPICS.attempts)) {
        // A `sending` intent and its outcome are one log row (same attempt id).
        if (record.outcome === 'sending') continue;
        const key = jobKey(record.subscriptionId, record.eventId);
        records.set(key, (records.get(key) ?? 0) + 1);
        if (record.outcome === 'success') delivered.add(key);
      }
      for (const job of recorder.values<DeliveryJob>(TOPICS.deliveriesDlq)) if (job) exhausted.add(jobKey(job.subscriptionId, job.event.id));
      return { delivered, exhausted, records };
    };
    // The whole compressed schedule is ~10 s; the deferral deadline bounds the rest.
    await waitUntil(
      () => {
        const { delivered, exhausted } = outcome();
        return expected.every((key) => delivered.has(key) || exhausted.has(key));
      },
      'every job delivered or exhausted',
      120_000,
    ).catch((error: Error) => {
      // Say which jobs are unfinished and what the log last said about each.
      const { delivered, exhausted } = outcome();
      const open = expected.filter((key) => !delivered.has(key) && !exhausted.has(key));
      const last = open.slice(0, 5).map((key) => {
        const rows = recorder.values<AttemptRecord>(TOPICS.attempts).filter((record) => jobKey(record.subscriptionId, record.eventId) === key);
        const tail = rows.at(-1);
        return `${key}: ${rows.length} records, last ${tail?.outcome} ${tail?.error?.code ?? tail?.httpStatus ?? ''} at ${tail?.finishedAt} next ${tail?.nextAttemptAt}`;
      });
      throw new Error(`${error.message}: ${open.length} of ${expected.length} open at ${new Date().toISOString()}\n${last.join('\n')}`);
    });
    await sleep(2_000); // anything still cycling would show up now
    const { delivered, exhausted, records } = outcome();
    const maxRecords = Math.max(...expected.map((key) => records.get(key) ?? 0));
    const deferred = recorder.values<AttemptRecord>(TOPICS.attempts).filter((record) => record.outcome === 'deferred').length;
    const duplicates = [...answered200.values()].reduce((sum, count) => sum + count - 1, 0);
    printLedger('endpoint-chaos', {
      published: expected.length,
      delivered: expected.filter((key) => delivered.has(key)).length,
      duplicates,
      lost: expected.filter((key) => !delivered.has(key) && !exhausted.has(key)).length,
      seconds: (Date.now() - started) / 1000,
      exhausted: expected.filter((key) => exhausted.has(key) && !delivered.has(key)).length,
      attemptRecords: [...records.values()].reduce((a, b) => a + b, 0),
      deferred,
      maxRecordsPerJob: maxRecords,
    });
    expect(expected.filter((key) => !delivered.has(key) && !exhausted.has(key))).toEqual([]);
    expect(maxRecords).toBeLessThanOrEqual(MAX_RECORDS_PER_JOB);
    // Exhausted jobs say why in the log: their last attempt record is an exhaustion.
    for (const key of expected.filter((k) => exhausted.has(k) && !delivered.has(k))) {
      const last = recorder
        .values<AttemptRecord>(TOPICS.attempts)
        .filter((record) => record.outcome !== 'sending' && jobKey(record.subscriptionId, record.eventId) === key)
        .at(-1);
      expect(last?.outcome).toBe('exhausted');
    }
    expect((await fetch(`${app.service.url}/health`)).status).toBe(200);
  }, 240_000);
});
