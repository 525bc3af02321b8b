import { CompressionTypes, type Producer } from 'kafkajs';
import type { KafkaConnection } from './kafka-connection';

export interface OutgoingMessage {
  key: string | null;
  value: Buffer | string | null;
  headers?: Record<string, string>;
}

/**
 * The one producer of a process: acks from all in-sync replicas, idempotent
 * (no duplicates from its own retries), gzip batches.
 */
export class KafkaProducer {
  private readonly producer: Producer;
  private connected: Promise<void> | null = null;

  constructor(connection: KafkaConnection, options: { idempotent?: boolean } = {}) {
    const idempotent = options.idempotent ?? true;
    this.producer = connection.kafka.producer({
      idempotent,
      // kafkajs keeps order with retries only with one request in flight per broker when idempotent.
      maxInFlightRequests: idempotent ? 1 : undefined,
      allowAutoTopicCreation: false,
    });
  }

  connect(): Promise<void> {
    this.connected ??= this.producer.connect();
    return this.connected;
  }

  async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.connect();
    await this.producer.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages });
  }

  /** One request for several topics (a fan-out's jobs and its metrics record, say). */
  async sendBatch(batches: { topic: string; messages: OutgoingMessage[] }[]): Promise<void> {
    const topicMessages = batches.filter((batch) => batch.messages.length > 0);
    if (topicMessages.length === 0) return;
    await this.connect();
    await this.producer.sendBatch({ acks: -1, compression: CompressionTypes.GZIP, topicMessages });
  }

  async disconnect(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
    this.connected = null;
  }
}
