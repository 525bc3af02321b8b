import { type Consumer, Kafka } from 'kafkajs';
import { BrokerThread } from '@harmony/kafka-embedded';
import type { AppConfig } from '@harmony/platform-config';
import type { Logger } from '@harmony/platform-observability';
import { kafkaLogCreator, kafkaLogLevel } from './kafka-logger';
import { stopIdleRequestQueueTimers } from './request-queue-idle';
import { SupervisedConsumer } from './supervised-consumer';

stopIdleRequestQueueTimers();

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
  private readonly deadConsumers = new Map<string, Error>();
  private readonly deadListeners = new Set<(name: string, error: Error) => void>();

  private constructor(
    readonly kafka: Kafka,
    readonly brokers: string[],
    private readonly embedded: EmbeddedBroker | null,
    /** How produced batches are compressed (KAFKA_COMPRESSION). */
    readonly compression: AppConfig['kafka']['compression'],
    /** Group timing every consumer of this process uses unless its spec says otherwise. */
    readonly consumerSettings: AppConfig['kafka']['consumer'],
    private readonly logger: Logger,
  ) {}

  /**
   * A consumer kept alive by restarts with backoff (see SupervisedConsumer);
   * if it stays down past `KAFKA_CONSUMER_MAX_DOWN_MS` it is reported dead
   * to `onConsumerDead` listeners (liveness fails, the process exits).
   */
  supervise(name: string, create: () => Consumer, boot: (consumer: Consumer) => Promise<void>): SupervisedConsumer {
    return new SupervisedConsumer({
      name,
      create,
      boot,
      maxDownMs: this.consumerSettings.maxDownMs,
      logger: this.logger,
      onDead: (error) => this.reportDead(name, error),
    });
  }

  /** A consumer that could not start or recover within its bound: liveness fails, the process exits. */
  reportDead(name: string, error: Error): void {
    this.deadConsumers.set(name, error);
    for (const listener of this.deadListeners) listener(name, error);
  }

  /** Told of every consumer that could not recover (also of those that died before the call). */
  onConsumerDead(listener: (name: string, error: Error) => void): void {
    this.deadListeners.add(listener);
    for (const [name, error] of this.deadConsumers) listener(name, error);
  }

  static async open(config: AppConfig, logger: Logger): Promise<KafkaConnection> {
    let embedded: EmbeddedBroker | null = null;
    let brokers = config.kafka.brokers;
    if (!brokers) {
      const brokerLog = logger.child({ component: 'kafka-embedded' });
      // On its own thread: its protocol, disk and CRC work stays off the event loop that delivers.
      const broker = await BrokerThread.start(
        {
          host: '127.0.0.1',
          port: config.kafka.embedded.port,
          dataDir: config.kafka.embedded.dataDir,
          logLevel: config.logLevel === 'trace' || config.logLevel === 'debug' ? 'debug' : 'info',
          // One process is the whole group here: waiting for more members to join only delays startup.
          groups: { initialRebalanceDelayMs: 0 },
        },
        brokerLogger(brokerLog),
        (error) => {
          // As an exception in an in-process broker would: the process ends, its supervisor restarts it.
          brokerLog.fatal({ err: error }, 'the embedded broker stopped; exiting');
          process.exit(1);
        },
      );
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
    return new KafkaConnection(kafka, brokers, embedded, config.kafka.compression, config.kafka.consumer, logger);
  }

  /** Stops the embedded broker, if this process runs one; clients must be disconnected first. */
  async close(): Promise<void> {
    await this.embedded?.close();
  }
}

export function brokerLogger(logger: Logger): { log(level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void } {
  return {
    log: (level, msg, fields = {}) => {
      // The broker names its part as `component` (the group coordinator); this logger's own `component` is
      // `kafka-embedded`, and pino would write the key twice: the broker's becomes `part`.
      const { component, ...rest } = fields;
      logger[level](component === undefined ? rest : { ...rest, part: component }, msg);
    },
  };
}
