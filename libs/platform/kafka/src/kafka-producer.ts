import { CompressionTypes, type Producer } from 'kafkajs';
import type { Logger } from '@harmony/platform-observability';
import type { KafkaConnection } from './kafka-connection';

export interface OutgoingMessage {
  key: string | null;
  value: Buffer | string | null;
  headers?: Record<string, string>;
}

/** Errors meaning "this cluster will not give us a producer id", as opposed to "try again". */
const NO_IDEMPOTENCE = new Set(['UNSUPPORTED_VERSION', 'CLUSTER_AUTHORIZATION_FAILED', 'INVALID_REQUEST']);

/**
 * The one producer of a process: acks from all in-sync replicas, gzip
 * batches, and idempotent (no duplicates from its own retries) whenever the
 * cluster grants a producer id — a cluster that refuses gets a plain
 * producer and a warning rather than no producer at all.
 */
export class KafkaProducer {
  private producer: Promise<Producer> | null = null;
  idempotent = false;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly logger?: Logger,
  ) {}

  connect(): Promise<Producer> {
    if (!this.producer) {
      this.producer = this.open();
      this.producer.catch(() => {
        this.producer = null;
      });
    }
    return this.producer;
  }

  async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = await this.connect();
    await producer.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages });
  }

  /** One request for several topics (a fan-out's jobs and its metrics record, say). */
  async sendBatch(batches: { topic: string; messages: OutgoingMessage[] }[]): Promise<void> {
    const topicMessages = batches.filter((batch) => batch.messages.length > 0);
    if (topicMessages.length === 0) return;
    const producer = await this.connect();
    await producer.sendBatch({ acks: -1, compression: CompressionTypes.GZIP, topicMessages });
  }

  async disconnect(): Promise<void> {
    const producer = await this.producer?.catch(() => null);
    this.producer = null;
    await producer?.disconnect();
  }

  private async open(): Promise<Producer> {
    // kafkajs keeps order across retries only with one request in flight when idempotent.
    const idempotent = this.connection.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    try {
      await idempotent.connect();
      this.idempotent = true;
      return idempotent;
    } catch (error) {
      const type = (error as { type?: string; cause?: { type?: string } }).type ?? (error as { cause?: { type?: string } }).cause?.type;
      if (!type || !NO_IDEMPOTENCE.has(type)) throw error;
      await idempotent.disconnect().catch(() => undefined);
      this.logger?.warn({ reason: type }, 'the Kafka cluster refuses idempotent producers; producing without idempotence');
      const plain = this.connection.kafka.producer({ idempotent: false, allowAutoTopicCreation: false });
      await plain.connect();
      return plain;
    }
  }
}
