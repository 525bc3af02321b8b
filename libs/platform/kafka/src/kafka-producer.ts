import { CompressionTypes, type Producer } from 'kafkajs';
import type { Logger } from '@harmony/platform-observability';
import type { KafkaConnection } from './kafka-connection';

export interface OutgoingMessage {
  key: string | null;
  value: Buffer | string | null;
  headers?: Record<string, string>;
}

type TopicMessages = { topic: string; messages: OutgoingMessage[] };

interface PendingSend {
  batches: TopicMessages[];
  count: number;
  bytes: number;
  resolve(): void;
  reject(error: unknown): void;
}

/** Bounds of one coalesced request: well under the broker's default 1 MiB per partition batch. */
const MAX_MESSAGES_PER_REQUEST = 1_000;
const MAX_BYTES_PER_REQUEST = 512 * 1024;

/** Errors meaning "this cluster will not give us a producer id", as opposed to "try again". */
const NO_IDEMPOTENCE = new Set(['UNSUPPORTED_VERSION', 'CLUSTER_AUTHORIZATION_FAILED', 'INVALID_REQUEST']);

/**
 * The one producer of a process: acks from all in-sync replicas, batches
 * compressed as KAFKA_COMPRESSION says (none by default), and idempotent (no duplicates from its own retries) whenever the
 * cluster grants a producer id — a cluster that refuses gets a plain
 * producer and a warning rather than no producer at all.
 *
 * Sends coalesce: one request is in flight at a time (ordering under
 * idempotence), and every send made meanwhile goes out together in the next
 * request, so a busy process pays one durable write per request rather than
 * per message — without waiting for a linger timer when it is idle. Each
 * caller's promise settles with the request that carried its messages; when
 * a coalesced request fails, its sends are retried one by one so one bad send
 * (an unknown topic, say) fails alone.
 */
export class KafkaProducer {
  private producer: Promise<Producer> | null = null;
  private readonly pending: PendingSend[] = [];
  private flushing: Promise<void> | null = null;
  /** Cleared in the same tick the flush loop sees an empty queue, so a send made right after starts a new one. */
  private flushActive = false;
  private requestCount = 0;
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
    await this.enqueue([{ topic, messages }]);
  }

  /** One request for several topics (a fan-out's jobs and its metrics record, say). */
  async sendBatch(batches: { topic: string; messages: OutgoingMessage[] }[]): Promise<void> {
    const topicMessages = batches.filter((batch) => batch.messages.length > 0);
    if (topicMessages.length === 0) return;
    await this.enqueue(topicMessages);
  }

  /** Produce requests made so far (each carries every send that queued up behind the previous one). */
  get requests(): number {
    return this.requestCount;
  }

  async disconnect(): Promise<void> {
    await this.flushing;
    const producer = await this.producer?.catch(() => null);
    this.producer = null;
    await producer?.disconnect();
  }

  private enqueue(batches: TopicMessages[]): Promise<void> {
    let count = 0;
    let bytes = 0;
    for (const batch of batches) {
      count += batch.messages.length;
      for (const message of batch.messages) bytes += (message.key?.length ?? 0) + (message.value?.length ?? 0);
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ batches, count, bytes, resolve, reject });
      if (!this.flushActive) {
        this.flushActive = true;
        this.flushing = this.flush();
      }
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const taken: PendingSend[] = [];
        let count = 0;
        let bytes = 0;
        while (this.pending.length > 0) {
          const next = this.pending[0];
          if (taken.length > 0 && (count + next.count > MAX_MESSAGES_PER_REQUEST || bytes + next.bytes > MAX_BYTES_PER_REQUEST)) break;
          taken.push(next);
          this.pending.shift();
          count += next.count;
          bytes += next.bytes;
        }
        try {
          await this.produce(taken.flatMap((send) => send.batches));
          for (const send of taken) send.resolve();
        } catch (error) {
          if (taken.length === 1) {
            taken[0].reject(error);
            continue;
          }
          for (const send of taken) await this.produce(send.batches).then(send.resolve, send.reject);
        }
      }
    } finally {
      // In the same tick as the empty-queue check above (not a later microtask), so a send
      // made by a caller resumed by this flush always finds either this loop or a new one.
      this.flushActive = false;
    }
  }

  private async produce(batches: TopicMessages[]): Promise<void> {
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const { topic, messages } of batches) {
      const list = byTopic.get(topic);
      if (list) list.push(...messages);
      else byTopic.set(topic, [...messages]);
    }
    const producer = await this.connect();
    this.requestCount++;
    await producer.sendBatch({
      acks: -1,
      compression: this.connection.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
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
