import { type RunningBroker, startEphemeralBroker } from '@harmony/kafka-embedded';
import { loadConfig } from '@harmony/platform-config';
import { createLogger } from '@harmony/platform-observability';
import { KafkaConnection } from './kafka-connection';
import { KafkaProducer } from './kafka-producer';
import { TopicAdmin } from './topic-admin';

export const TEST_LOGGER = createLogger({ service: 'test', level: 'silent' });

export interface KafkaFixture {
  broker: RunningBroker;
  connection: KafkaConnection;
  producer: KafkaProducer;
  admin: TopicAdmin;
  close(): Promise<void>;
}

/** A throwaway broker and this lib's clients on it, for the platform-kafka integration specs. */
export async function startKafkaFixture(topicDefaults = { partitions: 3, replicationFactor: 1 }): Promise<KafkaFixture> {
  const broker = await startEphemeralBroker();
  const connection = await KafkaConnection.open(loadConfig({ KAFKA_BROKERS: broker.address, LOG_LEVEL: 'silent' }), TEST_LOGGER);
  const producer = new KafkaProducer(connection);
  const admin = new TopicAdmin(connection, topicDefaults, TEST_LOGGER);
  return {
    broker,
    connection,
    producer,
    admin,
    close: async () => {
      await producer.disconnect();
      await admin.close();
      await broker.close();
    },
  };
}
