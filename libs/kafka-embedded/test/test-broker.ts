import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { BrokerOptions, RunningBroker, SILENT_LOGGER, startBroker } from '../src';

export function tempDir(prefix = 'kafka-embedded-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A broker on port 0 with a temp dataDir and test-friendly group timings. */
export async function startTestBroker(overrides: Partial<BrokerOptions> = {}): Promise<RunningBroker & { dataDir: string }> {
  const dataDir = overrides.dataDir ?? tempDir();
  const broker = await startBroker({
    port: 0,
    dataDir,
    logger: SILENT_LOGGER,
    groups: { initialRebalanceDelayMs: 0, minSessionTimeoutMs: 500 },
    ...overrides,
  });
  return Object.assign(broker, { dataDir });
}

export function kafkaFor(broker: { address: string }, clientId = 'test'): Kafka {
  return new Kafka({
    clientId,
    brokers: [broker.address],
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 50, retries: 8 },
  });
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
