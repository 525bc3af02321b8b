import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type BrokerOptions, type RunningBroker, startBroker } from './broker';
import { SILENT_LOGGER } from './broker-logger';

/**
 * A throwaway broker for tests and tools: any free loopback port, a fresh
 * temp data directory removed on close, no log output, and group timings
 * that let clients use short session timeouts without waiting for stragglers.
 */
export async function startEphemeralBroker(overrides: Partial<BrokerOptions> = {}): Promise<RunningBroker> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-ephemeral-'));
  const broker = await startBroker({
    host: '127.0.0.1',
    port: 0,
    dataDir,
    logger: SILENT_LOGGER,
    groups: { initialRebalanceDelayMs: 0, minSessionTimeoutMs: 500 },
    ...overrides,
  });
  const close = broker.close.bind(broker);
  return Object.assign(broker, {
    close: async () => {
      await close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  });
}
