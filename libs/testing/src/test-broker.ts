import { startEphemeralBroker } from '@harmony/kafka-embedded';

export interface TestBroker {
  /** `host:port`, as KAFKA_BROKERS takes it. */
  address: string;
  close(): Promise<void>;
}

/** The embedded broker on a free loopback port with a throwaway data directory. */
export async function startTestBroker(): Promise<TestBroker> {
  const broker = await startEphemeralBroker();
  return { address: broker.address, close: () => broker.close() };
}
