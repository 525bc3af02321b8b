import { SILENT_LOGGER, startBroker } from '@harmony/kafka-embedded';
import { tempDir } from './temp-dir';

export interface TestBroker {
  /** `host:port`, as KAFKA_BROKERS takes it. */
  address: string;
  close(): Promise<void>;
}

/** The embedded broker on a free loopback port with a throwaway data directory. */
export async function startTestBroker(): Promise<TestBroker> {
  const dir = tempDir('harmony-kafka-');
  const broker = await startBroker({
    host: '127.0.0.1',
    port: 0,
    dataDir: dir.path,
    logger: SILENT_LOGGER,
    // Tests use short session timeouts and should not wait for stragglers to join.
    groups: { initialRebalanceDelayMs: 0, minSessionTimeoutMs: 500 },
  });
  return {
    address: `${broker.host}:${broker.port}`,
    close: async () => {
      await broker.close();
      dir.remove();
    },
  };
}
