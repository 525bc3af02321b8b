import { type RejectedRecord, safeDecode, TOPICS, validateUpstreamEvent } from '@harmony/contracts';
import { loadConfig } from '@harmony/platform-config';
import { KafkaConnection, KafkaProducer } from '@harmony/platform-kafka';
import { createLogger } from '@harmony/platform-observability';
import { type BrokerProcess, printLedger, sleep, tempDir, TopicRecorder, waitUntil } from '@harmony/testing';
import { type App, type Receiver, spawnApp, startBrokerProcess, startReceiver } from './fault-harness';
import { HostileEvents } from './hostile-events';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20261130);
const HTTP_BODIES = Number(process.env['FUZZ_HTTP_BODIES'] ?? 5_000);
const KAFKA_RECORDS = Number(process.env['FUZZ_KAFKA_RECORDS'] ?? 5_000);

/**
 * Hostile input at both doors of event-ingest, generated from a seed
 * (FUZZ_SEED replays a run): HTTP bodies to POST /v1/events and raw records
 * on an upstream topic. The process must not crash; HTTP answers 202 for a
 * valid event and 4xx otherwise (never 5xx); every bad Kafka record lands on
 * webhooks.ingest.rejected with its bytes and a reason; exactly the valid
 * events are delivered.
 */
describe('ingest fuzz', () => {
  let broker: BrokerProcess;
  let app: App;
  let receiver: Receiver;
  let connection: KafkaConnection;
  let producer: KafkaProducer;
  let rejected: TopicRecorder;
  const brokerDir = tempDir();
  const dataDir = tempDir();

  beforeAll(async () => {
    receiver = await startReceiver();
    broker = await startBrokerProcess(brokerDir.path);
    app = await spawnApp({ KAFKA_BROKERS: broker.address, DATA_DIR: dataDir.path });
    connection = await KafkaConnection.open(loadConfig({ KAFKA_BROKERS: broker.address, LOG_LEVEL: 'silent' }), createLogger({ service: 'fuzz', level: 'silent' }));
    producer = new KafkaProducer(connection);
    rejected = new TopicRecorder(connection, [TOPICS.ingestRejected]);
    await rejected.start();
    await waitUntil(async () => (await fetch(`${app.service.url}/ready`)).status === 200, 'the app to be ready', 60_000);
  }, 120_000);

  afterAll(async () => {
    await rejected?.stop();
    await producer?.disconnect();
    await app?.service.stop();
    await broker?.stop();
    await receiver?.close();
    brokerDir.remove();
    dataDir.remove();
  }, 60_000);

  it(`survives ${HTTP_BODIES} hostile HTTP bodies and ${KAFKA_RECORDS} hostile Kafka records (seed ${SEED})`, async () => {
    const started = Date.now();
    const created = await app.api('POST', '/v1/webhooks', { name: 'fuzz', url: `${receiver.url}/fuzz`, events: '*' });
    expect(created.status).toBe(201);
    await sleep(1_000); // the webhook reaches the pipeline's views
    const hostile = new HostileEvents(SEED, app.workspaceId);
    const validIds = new Set<string>();
    const classify = (bytes: Buffer): boolean => {
      const parsed = safeDecode(validateUpstreamEvent, bytes);
      if (parsed.ok && parsed.value.workspaceId === app.workspaceId) validIds.add(parsed.value.id);
      return parsed.ok && parsed.value.workspaceId === app.workspaceId;
    };

    // HTTP: a few connections in parallel; some without a key, some with the wrong media type.
    const wrongAnswers: string[] = [];
    let http4xx = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < HTTP_BODIES) {
        const n = next++;
        const body = hostile.next();
        const variant = n % 50 === 7 ? 'no-key' : n % 50 === 13 ? 'text' : 'json';
        const valid = variant === 'json' && !body.toString('utf8').trimStart().startsWith('[') && classify(body);
        let status: number;
        try {
          const response = await fetch(`${app.service.url}/v1/events`, {
            method: 'POST',
            headers: { ...(variant === 'no-key' ? {} : { authorization: `Bearer ${app.apiKey}` }), 'content-type': variant === 'text' ? 'text/plain' : 'application/json' },
            body,
          });
          await response.arrayBuffer();
          status = response.status;
        } catch (error) {
          wrongAnswers.push(`#${n}: ${(error as Error).message}`);
          continue;
        }
        if (status >= 400 && status < 500) http4xx++;
        if (valid ? status !== 202 : status < 400 || status >= 500) wrongAnswers.push(`#${n} (${valid ? 'valid' : 'invalid'}): ${status} for ${body.toString('utf8').slice(0, 120)}`);
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));

    // Kafka: raw records on an upstream topic, tombstones included.
    const badRecords: string[] = [];
    for (let sent = 0; sent < KAFKA_RECORDS; sent += 500) {
      const batch = Array.from({ length: Math.min(500, KAFKA_RECORDS - sent) }, (_, i) => {
        if ((sent + i) % 250 === 0) {
          badRecords.push('');
          return { key: 'fuzz', value: null };
        }
        const value = hostile.next();
        if (!classify(value)) badRecords.push(value.toString('base64'));
        return { key: 'fuzz', value };
      });
      await producer.send(TOPICS.upstream('contact'), batch);
    }

    const upstreamRejects = (): RejectedRecord[] =>
      rejected.values<RejectedRecord>(TOPICS.ingestRejected).filter((record) => record.source.kind === 'kafka' && record.source.topic === TOPICS.upstream('contact'));
    await waitUntil(() => upstreamRejects().length >= badRecords.length, `${badRecords.length} rejected records`, 120_000);
    await waitUntil(() => validIds.size === new Set(receiver.received.map((r) => r.webhookId)).size, `${validIds.size} deliveries`, 60_000).catch(() => undefined);

    const rejects = upstreamRejects();
    const rejectedBytes = rejects.map((record) => record.originalBase64).sort();
    const deliveredIds = new Set(receiver.received.map((request) => request.webhookId));
    const invalidDeliveries = [...deliveredIds].filter((id) => !validIds.has(id));
    const missing = [...validIds].filter((id) => !deliveredIds.has(id));
    const live = (await fetch(`${app.service.url}/health`)).status;
    printLedger('ingest-fuzz', {
      published: validIds.size,
      delivered: deliveredIds.size - invalidDeliveries.length,
      duplicates: receiver.received.length - deliveredIds.size,
      lost: missing.length,
      seconds: (Date.now() - started) / 1000,
      seed: SEED,
      httpBodies: HTTP_BODIES,
      http4xx,
      kafkaRecords: KAFKA_RECORDS,
      kafkaRejected: rejects.length,
      invalidDeliveries: invalidDeliveries.length,
      crashes: app.service.process.exitCode === null && live === 200 ? 0 : 1,
    });
    expect(app.service.process.exitCode).toBeNull();
    expect(live).toBe(200);
    expect(wrongAnswers.slice(0, 10)).toEqual([]);
    expect(rejectedBytes).toEqual([...badRecords].sort());
    expect(rejects.every((record) => record.reason.length > 0 && record.errors.length > 0)).toBe(true);
    expect(invalidDeliveries).toEqual([]);
    expect(missing).toEqual([]);
  }, 300_000);
});
