import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestingModule } from '@nestjs/testing';
import { Webhook } from 'standardwebhooks';
import {
  type AttemptRecord,
  CONTACT_CREATED,
  type DeliveryJob,
  type EventEnvelope,
  newId,
  RETRY_TIER_NAMES,
  type SubscriptionRecord,
  TOPICS,
} from '@harmony/contracts';
import { generateSigningSecret } from '@harmony/webhooks/domain';
import { loadConfig } from '@harmony/platform-config';
import { KafkaConnection, KafkaProducer } from '@harmony/platform-kafka';
import { compileServiceModule, LOOPBACK_RECEIVERS_ENV, startTestBroker, type TestBroker, TopicRecorder } from '@harmony/testing';
import { DeliveryWorkerModule } from './delivery-worker.module';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real receiver on loopback; each path answers with the status the test asks for. */
async function startReceiver(): Promise<{ url: string; received: Received[]; respond: Map<string, number>; hold: Map<string, Promise<void>>; close(): Promise<void> }> {
  const received: Received[] = [];
  const respond = new Map<string, number>();
  /** Paths whose answer waits for the promise (a slow endpoint). */
  const hold = new Map<string, Promise<void>>();
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body });
      void (hold.get(request.url ?? '') ?? Promise.resolve()).then(() =>
        response.writeHead(respond.get(request.url ?? '') ?? 200, { 'content-type': 'text/plain', 'X-Receiver-Id': 'rcv-7', 'Set-Cookie': 'session=s3cr3t' }).end('thanks'),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    respond,
    hold,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('delivery-worker', () => {
  let broker: TestBroker;
  let app: TestingModule;
  let recorder: TopicRecorder;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const workspaceId = newId('workspace');
  const secret = generateSigningSecret();

  function subscription(path: string, overrides: Partial<SubscriptionRecord> = {}): SubscriptionRecord {
    return {
      id: newId('subscription'),
      workspaceId,
      name: `hook ${path}`,
      url: `${receiver.url}${path}`,
      eventTypes: '*',
      enabled: true,
      disabledReason: null,
      owner: { memberId: newId('member'), userId: newId('user'), role: 'admin', teamIds: [], active: true },
      rateLimitPerSecond: null,
      headers: { 'x-team': 'growth' },
      secrets: [{ id: newId('secret'), secret, createdAt: new Date().toISOString(), expiresAt: null }],
      version: 1,
      updatedAt: new Date().toISOString(),
      ...overrides,
    };
  }

  function job(sub: SubscriptionRecord, attempt = 1): DeliveryJob {
    const event: EventEnvelope = {
      id: newId('event'),
      type: 'contact.created',
      workspaceId,
      occurredAt: new Date(Date.now() - 1_000).toISOString(),
      data: CONTACT_CREATED.example,
      access: { scope: 'workspace' },
    };
    return { jobId: newId('job'), subscriptionId: sub.id, workspaceId, event, attempt, firstAttemptAt: null, notBefore: null, reason: 'new', enqueuedAt: new Date().toISOString() };
  }

  async function publish(subs: SubscriptionRecord[], jobs: DeliveryJob[], raw: string[] = []): Promise<void> {
    const producer = app.get(KafkaProducer);
    await producer.send(TOPICS.subscriptions, subs.map((sub) => ({ key: sub.id, value: JSON.stringify(sub) })));
    await producer.send(TOPICS.deliveries, [
      ...jobs.map((value) => ({ key: value.subscriptionId, value: JSON.stringify(value) })),
      ...raw.map((value) => ({ key: 'garbage', value })),
    ]);
  }

  const attemptsFor = (jobId: string): AttemptRecord[] => recorder.values<AttemptRecord>(TOPICS.attempts).filter((record) => record.jobId === jobId);
  /** Outcomes only: each request is preceded by its `sending` intent under the same attempt id. */
  const outcomesFor = (jobId: string): AttemptRecord[] => attemptsFor(jobId).filter((record) => record.outcome !== 'sending');

  beforeAll(async () => {
    broker = await startTestBroker();
    receiver = await startReceiver();
    // RETRY_DELAY_SCALE: the 5 s tier becomes 5 ms, so retried jobs are visible at once.
    // One partition: every job shares it, so the slow-endpoint test is about one partition.
    const config = loadConfig({ KAFKA_BROKERS: broker.address, LOG_LEVEL: 'silent', RETRY_DELAY_SCALE: '0.001', KAFKA_TOPIC_PARTITIONS: '1', ...LOOPBACK_RECEIVERS_ENV });
    app = await compileServiceModule('delivery-worker', DeliveryWorkerModule, config);
    await app.init();
    recorder = new TopicRecorder(app.get(KafkaConnection), [TOPICS.attempts, TOPICS.deliveriesDlq, ...RETRY_TIER_NAMES.map((tier) => TOPICS.retries(tier))]);
    await recorder.start();
  }, 60_000);

  afterAll(async () => {
    await recorder?.stop();
    await app?.close();
    await receiver?.close();
    await broker?.close();
  });

  it('delivers a signed Standard Webhooks request and records the success', async () => {
    const sub = subscription('/ok');
    const delivery = job(sub);
    await publish([sub], [delivery]);
    await recorder.waitFor(() => outcomesFor(delivery.jobId).length === 1);

    const request = receiver.received.find((r) => r.path === '/ok');
    expect(request).toBeDefined();
    const headers = Object.fromEntries(Object.entries(request!.headers).map(([k, v]) => [k, String(v)]));
    expect(headers['webhook-id']).toBe(delivery.event.id);
    expect(headers['x-team']).toBe('growth');
    expect(headers['content-type']).toBe('application/json');
    expect(new Webhook(secret).verify(request!.body, headers)).toEqual({
      id: delivery.event.id,
      type: 'contact.created',
      timestamp: delivery.event.occurredAt,
      workspace_id: workspaceId,
      data: CONTACT_CREATED.example,
    });
    expect(outcomesFor(delivery.jobId)[0]).toMatchObject({ outcome: 'success', httpStatus: 200, attempt: 1, responseBody: 'thanks', url: sub.url });
    // The response headers travel with the record, bounded, names lower-cased, the receiver's cookie redacted.
    expect(outcomesFor(delivery.jobId)[0]!.responseHeaders).toMatchObject({ 'content-type': 'text/plain', 'x-receiver-id': 'rcv-7', 'set-cookie': '[redacted]' });
  }, 30_000);

  it("marks the attempts of a manual redelivery with who asked, and the pipeline's own not at all", async () => {
    const sub = subscription('/ok');
    const requestedBy = { apiKeyId: 'key_1', apiKeyName: 'Support console', memberId: 'mem_1' };
    const manual: DeliveryJob = { ...job(sub), reason: 'recovery', requestedBy };
    const plain = job(sub);
    await publish([sub], [manual, plain]);
    await recorder.waitFor(() => outcomesFor(manual.jobId).length === 1 && outcomesFor(plain.jobId).length === 1);
    expect(attemptsFor(manual.jobId).every((record) => record.trigger === 'manual')).toBe(true);
    expect(outcomesFor(manual.jobId)[0]).toMatchObject({ outcome: 'success', trigger: 'manual', requestedBy });
    expect(outcomesFor(plain.jobId)[0]!.trigger).toBeUndefined();
    expect(outcomesFor(plain.jobId)[0]!.requestedBy).toBeUndefined();
  }, 30_000);

  it('schedules a failed attempt on the next retry tier, same event id, attempt + 1', async () => {
    const sub = subscription('/fails');
    receiver.respond.set('/fails', 500);
    const delivery = job(sub);
    await publish([sub], [delivery]);
    await recorder.waitFor(() => recorder.values<DeliveryJob>(TOPICS.retries('5s')).some((j) => j.jobId === delivery.jobId));
    const retried = recorder.values<DeliveryJob>(TOPICS.retries('5s')).find((j) => j.jobId === delivery.jobId)!;
    expect(retried).toMatchObject({ attempt: 2, reason: 'retry', event: delivery.event });
    expect(retried.firstAttemptAt).not.toBeNull();
    expect(Date.parse(retried.notBefore!)).toBeGreaterThan(Date.now() - 5_000);
    expect(outcomesFor(delivery.jobId)[0]).toMatchObject({ outcome: 'failure', httpStatus: 500, nextAttemptAt: retried.notBefore });
  }, 30_000);

  it('moves the job to the dead-letter topic when the last attempt fails', async () => {
    const sub = subscription('/always-fails');
    receiver.respond.set('/always-fails', 503);
    const last = job(sub, 8);
    await publish([sub], [last]);
    await recorder.waitFor(() => recorder.values<DeliveryJob>(TOPICS.deliveriesDlq).some((j) => j?.jobId === last.jobId));
    expect(outcomesFor(last.jobId)).toEqual([expect.objectContaining({ outcome: 'exhausted', httpStatus: 503, attempt: 8 })]);
  }, 30_000);

  it('does not retry 410 Gone (the endpoint is to be disabled)', async () => {
    const sub = subscription('/gone');
    receiver.respond.set('/gone', 410);
    const delivery = job(sub);
    await publish([sub], [delivery]);
    await recorder.waitFor(() => outcomesFor(delivery.jobId).length === 1);
    expect(outcomesFor(delivery.jobId)[0]).toMatchObject({ outcome: 'dropped', httpStatus: 410 });
    expect(recorder.values<DeliveryJob>(TOPICS.retries('5s')).some((j) => j.jobId === delivery.jobId)).toBe(false);
  }, 30_000);

  it('sends nothing for a deleted or disabled webhook, and says so', async () => {
    const disabled = subscription('/disabled', { enabled: false, disabledReason: 'disabled by its owner' });
    const deleted = subscription('/deleted');
    const toDisabled = job(disabled);
    const toDeleted = job(deleted);
    await app.get(KafkaProducer).send(TOPICS.subscriptions, [{ key: deleted.id, value: null }]);
    await publish([disabled], [toDisabled, toDeleted]);
    await recorder.waitFor(() => outcomesFor(toDisabled.jobId).length === 1 && outcomesFor(toDeleted.jobId).length === 1);
    expect(outcomesFor(toDisabled.jobId)[0]).toMatchObject({ outcome: 'dropped', error: { code: 'subscription_disabled' } });
    expect(outcomesFor(toDeleted.jobId)[0]).toMatchObject({ outcome: 'dropped', error: { code: 'subscription_deleted' } });
    expect(receiver.received.some((r) => r.path === '/disabled' || r.path === '/deleted')).toBe(false);
  }, 30_000);

  it('refuses a target the SSRF guard does not allow, and keeps the job on the retry schedule (the URL or the policy may be fixed)', async () => {
    const sub = subscription('/x', { url: 'http://169.254.169.254/latest/meta-data' });
    const delivery = job(sub);
    await publish([sub], [delivery]);
    await recorder.waitFor(() => outcomesFor(delivery.jobId).length === 1);
    expect(outcomesFor(delivery.jobId)[0]).toMatchObject({ outcome: 'failure', httpStatus: null, error: { code: 'ssrf_blocked' }, nextAttemptAt: expect.any(String) });
    await recorder.waitFor(() => recorder.values<DeliveryJob>(TOPICS.retries('5s')).some((retry) => retry.jobId === delivery.jobId && retry.attempt === 2));
  }, 30_000);

  it('moves a record that is not a delivery job aside with the reason, and keeps going', async () => {
    const sub = subscription('/after-garbage');
    const delivery = job(sub);
    await publish([sub], [], ['{"not":"a job"}']);
    await publish([], [delivery]);
    await recorder.waitFor(() => outcomesFor(delivery.jobId).length === 1);
    const dead = recorder.messages.find((m) => m.topic === TOPICS.deliveriesDlq && m.key?.toString() === 'garbage');
    expect(dead?.headers['dlq-reason']).toMatch(/^not a delivery job: /);
    expect(dead?.value?.toString()).toBe('{"not":"a job"}');
  }, 30_000);

  it('keeps delivering later jobs on the same partition while one endpoint is slow', async () => {
    let answerSlow!: () => void;
    receiver.hold.set('/slow', new Promise<void>((resolve) => (answerSlow = resolve)));
    const slow = subscription('/slow');
    const fast = subscription('/fast');
    const toSlow = job(slow);
    await publish([slow, fast], [toSlow]);
    await recorder.waitFor(() => receiver.received.some((r) => r.path === '/slow'));
    const toFast = job(fast);
    await publish([], [toFast]);
    await recorder.waitFor(() => outcomesFor(toFast.jobId).length === 1);
    expect(outcomesFor(toSlow.jobId)).toEqual([]);
    answerSlow();
    await recorder.waitFor(() => outcomesFor(toSlow.jobId).length === 1);
    expect(outcomesFor(toSlow.jobId)[0]).toMatchObject({ outcome: 'success' });
  }, 30_000);

  it('logs the attempt before the request goes out, and its outcome under the same id', async () => {
    let answer!: () => void;
    receiver.hold.set('/intent', new Promise<void>((resolve) => (answer = resolve)));
    const sub = subscription('/intent');
    const delivery = job(sub);
    await publish([sub], [delivery]);
    await recorder.waitFor(() => receiver.received.some((r) => r.path === '/intent'));
    // The receiver has the request and has not answered: a crash now would leave this row, not nothing.
    await recorder.waitFor(() => attemptsFor(delivery.jobId).length === 1);
    const [intent] = attemptsFor(delivery.jobId);
    expect(intent).toMatchObject({ outcome: 'sending', httpStatus: null, attempt: 1, url: sub.url });
    answer();
    await recorder.waitFor(() => attemptsFor(delivery.jobId).length === 2);
    expect(attemptsFor(delivery.jobId)[1]).toMatchObject({ attemptId: intent.attemptId, outcome: 'success', httpStatus: 200 });
  }, 30_000);

  describe('an endpoint whose circuit is open', () => {
    let releaseTrial!: () => void;
    const sub = (): SubscriptionRecord => failing;
    let failing: SubscriptionRecord;

    afterAll(() => releaseTrial?.());

    it("defers jobs behind a half-open trial by the trial's time, not zero (no spin)", async () => {
      failing = subscription('/breaker');
      receiver.respond.set('/breaker', 500);
      const opening = Array.from({ length: 5 }, () => job(sub()));
      await publish([sub()], opening);
      await recorder.waitFor(() => opening.every((j) => outcomesFor(j.jobId).length === 1));
      // The circuit is open for 60 ms (60 s × 0.001), then half-open: the next job is the one trial, and it hangs.
      receiver.hold.set('/breaker', new Promise<void>((resolve) => (releaseTrial = resolve)));
      await new Promise((resolve) => setTimeout(resolve, 200));
      const trial = job(sub());
      await publish([], [trial]);
      await recorder.waitFor(() => receiver.received.filter((r) => r.path === '/breaker').length === 6);
      const behind = Array.from({ length: 10 }, () => job(sub()));
      await publish([], behind);
      await recorder.waitFor(() => behind.every((j) => outcomesFor(j.jobId).length === 1));
      for (const deferred of behind) {
        const [row] = outcomesFor(deferred.jobId);
        expect(row).toMatchObject({ outcome: 'deferred', error: { code: 'circuit_open' } });
        // They wait for the trial's outcome (bounded by the 15 s request timeout), not 0 ms.
        expect(Date.parse(row.nextAttemptAt!) - Date.parse(row.finishedAt)).toBeGreaterThanOrEqual(10_000);
      }
      expect(receiver.received.filter((r) => r.path === '/breaker')).toHaveLength(6);
    }, 30_000);

    it('exhausts a deferred job past its deadline to the dead-letter topic, saying why', async () => {
      const old = { ...job(sub(), 3), firstAttemptAt: new Date(Date.now() - 3 * 86_400_000).toISOString() };
      await publish([], [old]);
      await recorder.waitFor(() => recorder.values<DeliveryJob>(TOPICS.deliveriesDlq).some((j) => j?.jobId === old.jobId));
      expect(outcomesFor(old.jobId)).toEqual([
        expect.objectContaining({ outcome: 'exhausted', attempt: 3, httpStatus: null, error: expect.objectContaining({ code: 'deferral_deadline_passed' }) }),
      ]);
      expect(recorder.values<DeliveryJob>(TOPICS.retries('5s')).some((j) => j.jobId === old.jobId)).toBe(false);
    }, 30_000);

    it("gives a job deferred for the first time a deadline: the retry schedule's span from its first attempt", async () => {
      const fresh = { ...job(sub(), 2), firstAttemptAt: new Date(Date.now() - 1_000).toISOString() };
      await publish([], [fresh]);
      const topics = RETRY_TIER_NAMES.map((tier) => TOPICS.retries(tier));
      const requeued = (): DeliveryJob | undefined => topics.flatMap((topic) => recorder.values<DeliveryJob>(topic)).find((j) => j?.jobId === fresh.jobId);
      await recorder.waitFor(() => requeued() !== undefined);
      // 27.6 h × 0.001 ≈ 99.3 s after the first attempt.
      expect(Date.parse(requeued()!.deadline!) - Date.parse(fresh.firstAttemptAt)).toBe(99_305);
      expect(requeued()).toMatchObject({ reason: 'deferred', attempt: 2 });
    }, 30_000);
  });
});
