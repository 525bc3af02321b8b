import { freePort, LOOPBACK_RECEIVERS_ENV, printLedger, tempDir, waitUntil } from '@harmony/testing';
import { buildApps, SupervisedApp } from './support/app-process';
import { HarmonyApi } from './support/harmony-api';
import { LedgerReceiver } from './support/ledger-receiver';
import { UpstreamPublisher } from './support/upstream-publisher';

/**
 * The single-machine default (`npm start`): the all-in-one app with its
 * embedded broker and PGlite, both on disk under DATA_DIR. It is killed with
 * SIGKILL twice mid-stream and restarted on the same data; every event Kafka
 * acknowledged must still reach all three webhooks.
 */
const WEBHOOK_PATHS = ['/crm', '/billing', '/audit'];
const EVENTS = 300;
const EVENTS_PER_SECOND = 20;
const DRAIN_TIMEOUT_MS = 120_000;

describe('all-in-one on its own data (embedded broker, PGlite), kill -9 twice mid-stream', () => {
  const work = tempDir('harmony-crash-aio-');
  const receiver = new LedgerReceiver();
  let app: SupervisedApp;
  let publisher: UpstreamPublisher;

  beforeAll(async () => {
    const mainOf = buildApps(`${work.path}/dist`, ['all-in-one']);
    await receiver.start();
    // A fixed port for the embedded broker, so the upstream publisher finds it again after each restart.
    const brokerPort = await freePort();
    app = new SupervisedApp('all-in-one', mainOf('all-in-one'), {
      DATA_DIR: `${work.path}/data`,
      KAFKA_EMBEDDED_PORT: String(brokerPort),
      RETRY_DELAY_SCALE: '0.001',
      DELIVERY_ENDPOINT_RATE_PER_SECOND: '500',
      ...LOOPBACK_RECEIVERS_ENV,
    });
    await app.start();
    publisher = new UpstreamPublisher(`127.0.0.1:${brokerPort}`, HarmonyApi.firstRun(app.output).workspaceId);
  }, 120_000);

  afterAll(async () => {
    await publisher?.close();
    await app?.stop();
    await receiver.close();
    work.remove();
  }, 60_000);

  it('delivers every event to every webhook, signed, none lost; duplicates only with the same webhook-id', async () => {
    const api = new HarmonyApi(() => app.url, HarmonyApi.firstRun(app.output).apiKey);
    const { webhooks, probes } = await api.createLiveWebhooks(receiver, publisher, WEBHOOK_PATHS);

    const started = Date.now();
    const before = publisher.published.length;
    const streaming = publisher.publish(EVENTS, EVENTS_PER_SECOND);
    const streamed = (fraction: number): boolean => receiver.deliveredCount() - WEBHOOK_PATHS.length * probes.length >= fraction * EVENTS * WEBHOOK_PATHS.length;
    for (const fraction of [0.25, 0.6]) {
      await waitUntil(() => streamed(fraction), `${fraction * 100} % of the stream delivered`, 90_000);
      await app.kill();
      const killedAt = Date.now();
      await app.ready();
      console.log(
        `t+${((killedAt - started) / 1_000).toFixed(1)} s: all-in-one killed with SIGKILL; restarted on the same data, ready ${((Date.now() - killedAt) / 1_000).toFixed(1)} s later`,
      );
    }
    await streaming;

    const ids = publisher.published.slice(before);
    await receiver.allDelivered(ids, DRAIN_TIMEOUT_MS);
    const ledger = receiver.ledger(ids, (Date.now() - started) / 1_000);
    printLedger('crash-all-in-one', ledger);
    expect(app.restarts).toBe(2);
    expect(receiver.violations([...probes, ...publisher.published])).toEqual([]);
    expect({ lost: ledger.lost, output: ledger.lost ? app.tail() : '' }).toEqual({ lost: 0, output: '' });

    const drained = Date.now();
    const log = await api.unloggedDeliveries(receiver, webhooks, ids);
    console.log(`delivery log: ${log.delivered - log.unlogged} of ${log.delivered} delivered pairs have their row, ${((Date.now() - drained) / 1_000).toFixed(1)} s after every event was delivered`);
    expect(log.unlogged).toBe(0);
  }, 300_000);
});
