import { Kafka } from 'kafkajs';
import { startBroker } from '@harmony/kafka-embedded';
import type { AppConfig } from '@harmony/platform-config';
import type { Logger } from '@harmony/platform-observability';
import { kafkaLogCreator, kafkaLogLevel } from './kafka-logger';

export interface EmbeddedBroker {
  host: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The process's Kafka client. When no brokers are configured it first starts
 * the embedded Kafka-protocol broker in this process; the services cannot
 * tell the difference — they get the same kafkajs client either way.
 */
export class KafkaConnection {
  private constructor(
    readonly kafka: Kafka,
    readonly brokers: string[],
    private readonly embedded: EmbeddedBroker | null,
    /** How produced batches are compressed (KAFKA_COMPRESSION). */
    readonly compression: AppConfig['kafka']['compression'],
  ) {}

  static async open(config: AppConfig, logger: Logger): Promise<KafkaConnection> {
    let embedded: EmbeddedBroker | null = null;
    let brokers = config.kafka.brokers;
    if (!brokers) {
      const broker = await startBroker({
        host: '127.0.0.1',
        port: config.kafka.embedded.port,
        dataDir: config.kafka.embedded.dataDir,
        logger: brokerLogger(logger.child({ component: 'kafka-embedded' })),
        // One process is the whole group here: waiting for more members to join only delays startup.
        groups: { initialRebalanceDelayMs: 0 },
      });
      embedded = broker;
      brokers = [`${broker.host}:${broker.port}`];
      logger.info({ brokers, dataDir: config.kafka.embedded.dataDir }, 'embedded Kafka-protocol broker started');
    }
    const kafka = new Kafka({
      clientId: config.kafka.clientId,
      brokers,
      logLevel: kafkaLogLevel(config.logLevel),
      logCreator: kafkaLogCreator(logger),
      retry: { initialRetryTime: 100, retries: 8 },
    });
    return new KafkaConnection(kafka, brokers, embedded, config.kafka.compression);
  }

  /** Stops the embedded broker, if this process runs one; clients must be disconnected first. */
  async close(): Promise<void> {
    await this.embedded?.close();
  }
}

function brokerLogger(logger: Logger): { log(level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void } {
  return { log: (level, msg, fields) => logger[level](fields ?? {}, msg) };
}
