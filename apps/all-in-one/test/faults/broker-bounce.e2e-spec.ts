import { writeFileSync } from 'node:fs';
import { type BrokerProcess, LOOPBACK_RECEIVERS_ENV, printLedger, sleep, type SpawnedService, spawnService, tempDir, waitUntil } from '@harmony/testing';
import { contactCreated, type Receiver, spawnApp, startBrokerProcess, startReceiver, tally } from './fault-harness';

/**
 * The broker is killed -9 and restarted every 2 s for 16 s while the five
 * services start on it, each as its own process (as in production): their
 * consumers and followers start, fail and crash mid-bounce. Afterwards every
 * service must consume again by itself — no process restart — and every
 * event accepted before and after must reach the receiver and the log.
 */
describe('broker bounce: consumers heal themselves', () => {
  const BOUNCES = 8;
  const UP_MS = 2_000;
  const SERVICES = ['subscription-service', 'event-ingest', 'fan-out', 'delivery-worker', 'retry-scheduler'] as const;
  let broker: BrokerProcess;
  let stopped = false;
  let bouncingDone: Promise<void> = Promise.resolve();
  const stopBouncing = async (): Promise<void> => {
    stopped = true;
    await bouncingDone;
  };
  const running: SpawnedService[] = [];
  let receiver: Receiver;
  const brokerDir = tempDir();
  const dataDir = tempDir();

  beforeAll(async () => {
    receiver = await startReceiver();
    broker = await startBrokerProcess(brokerDir.path);
  }, 60_000);

  afterAll(async () => {
    // FAULTS_LOG_DIR=<dir>: keep every service's log lines for a look after the run.
    const logDir = process.env['FAULTS_LOG_DIR'];
    if (logDir) running.forEach((service, i) => writeFileSync(`${logDir}/broker-bounce-${i}.log`, service.output.join('\n')));
    await stopBouncing();
    await Promise.all(running.map((service) => service.stop()));
    await broker?.stop();
    await receiver?.close();
    brokerDir.remove();
    dataDir.remove();
  }, 60_000);

  it('every service consumes again after the bounce and every event is delivered', async () => {
    const started = Date.now();
    const env = { KAFKA_BROKERS: broker.address, DATA_DIR: dataDir.path, RETRY_DELAY_SCALE: '0.001', ...LOOPBACK_RECEIVERS_ENV };
    // First run (all-in-one, steady broker): the workspace, its key, a webhook and 20 events.
    const first = await spawnApp(env);
    await waitUntil(async () => (await fetch(`${first.service.url}/ready`)).status === 200, 'the first run to be ready', 60_000);
    const webhook = await first.api<{ id: string }>('POST', '/v1/webhooks', { name: 'bounce', url: `${receiver.url}/bounce`, events: ['contact.created'] });
    expect(webhook.status).toBe(201);
    await sleep(1_000); // the change reaches the pipeline's views
    const published: string[] = [];
    const before = Array.from({ length: 20 }, () => contactCreated(first.workspaceId));
    expect((await first.api('POST', '/v1/events', before)).status).toBe(202);
    published.push(...before.map((event) => event.id));
    await first.service.stop();

    // The five services start while the broker bounces.
    const bouncing = (async () => {
      for (let bounce = 0; bounce < BOUNCES && !stopped; bounce++) {
        await sleep(UP_MS);
        await broker.kill();
        await broker.restart();
      }
    })();
    bouncingDone = bouncing;
    const services = await Promise.all(
      SERVICES.map(async (name) => {
        const service = await spawnService(`apps/${name}/src/main.ts`, { ...env, LOG_LEVEL: process.env['FAULTS_LOG_LEVEL'] ?? 'info' }, 120_000).catch((error: Error) => {
          if (process.env['FAULTS_LOG_DIR']) writeFileSync(`${process.env['FAULTS_LOG_DIR']}/broker-bounce-${name}.log`, error.message);
          throw error;
        });
        running.push(service);
        return service;
      }),
    ).finally(() => bouncing);
    const bouncedAt = Date.now();

    // No process restart: the same processes become ready, stay live, and deliver.
    const states = async (): Promise<string[]> =>
      Promise.all(services.map(async (service, i) => `${SERVICES[i]} ready=${(await fetch(`${service.url}/ready`)).status} health=${(await fetch(`${service.url}/health`)).status} exit=${service.process.exitCode}`));
    await waitUntil(async () => (await states()).every((state) => state.endsWith('ready=200 health=200 exit=null')), 'every service ready after the bounce', 90_000).catch(async (error: Error) => {
      throw new Error(`${error.message}:\n${(await states().catch(() => [])).join('\n')}`);
    });
    const readyMs = Date.now() - bouncedAt;
    const ingest = services[SERVICES.indexOf('event-ingest')];
    const after = Array.from({ length: 20 }, () => contactCreated(first.workspaceId));
    const accepted = await fetch(`${ingest.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${first.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(after),
    });
    expect(accepted.status).toBe(202);
    published.push(...after.map((event) => event.id));
    await waitUntil(() => tally(published, receiver.received).lost === 0, 'every event at the receiver', 90_000);
    // The delivery log (subscription-service's attempts consumer) has them too.
    const subscriptionService = services[SERVICES.indexOf('subscription-service')];
    await waitUntil(
      async () => {
        const response = await fetch(`${subscriptionService.url}/v1/webhooks/${webhook.body.id}/deliveries?limit=100&outcome=success`, { headers: { authorization: `Bearer ${first.apiKey}` } });
        return ((await response.json()) as { data: unknown[] }).data.length >= published.length;
      },
      'every delivery in the log',
      60_000,
    );

    const ledger = tally(published, receiver.received);
    // How often consumers were replaced in-process (the supervision at work), across the five services.
    const consumerRestarts = services.reduce((sum, service) => sum + service.output.filter((line) => /consumer (failed|crashed); restarting/.test(line)).length, 0);
    printLedger('broker-bounce', { published: published.length, ...ledger, seconds: (Date.now() - started) / 1000, bounces: BOUNCES, readyAfterBounceMs: readyMs, consumerRestarts });
    expect(ledger.lost).toBe(0);
  }, 300_000);
});

describe('a broker that does not come back', () => {
  it('makes /health fail and the service exit 1 once its consumers stay down past KAFKA_CONSUMER_MAX_DOWN_MS', async () => {
    const brokerDir = tempDir();
    const broker = await startBrokerProcess(brokerDir.path);
    const worker = await spawnService('apps/delivery-worker/src/main.ts', { KAFKA_BROKERS: broker.address, KAFKA_CONSUMER_MAX_DOWN_MS: '3000', SHUTDOWN_GRACE_MS: '5000', LOG_LEVEL: 'info' }, 120_000);
    try {
      await waitUntil(async () => (await fetch(`${worker.url}/ready`)).status === 200, 'the worker to be ready', 60_000);
      const exited = new Promise<number | null>((resolve) => worker.process.once('exit', resolve));
      await broker.kill();
      const code = await Promise.race([exited, sleep(90_000).then(() => 'still running')]);
      expect(code).toBe(1);
      expect(worker.output.some((line) => line.includes('a required part cannot recover'))).toBe(true);
    } finally {
      worker.process.kill('SIGKILL');
      await broker.stop();
      brokerDir.remove();
    }
  }, 180_000);
});
