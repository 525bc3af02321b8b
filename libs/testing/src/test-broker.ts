import { startEphemeralBroker } from '@harmony/kafka-embedded';

export interface TestBroker {
  /** `host:port`, as KAFKA_BROKERS takes it. */
  address: string;
  close(): Promise<void>;
}

/**
 * The broker under test: `KAFKA_BROKERS` when set (`npm run test:apache-kafka` points it at
 * Apache Kafka; it is shared, so closing leaves it running), else the embedded broker on a free
 * loopback port with a throwaway data directory.
 */
export async function startTestBroker(): Promise<TestBroker> {
  const external = process.env['KAFKA_BROKERS'];
  if (external) return { address: external, close: async () => undefined };
  const broker = await startEphemeralBroker();
  return { address: broker.address, close: () => broker.close() };
}
