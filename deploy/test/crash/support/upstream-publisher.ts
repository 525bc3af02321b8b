import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { CONTACT_CREATED, TOPICS } from '@harmony/contracts';
import { sleep } from '@harmony/testing';

/**
 * Publishes `contact.created` events to `harmony.contact.events` as an
 * upstream Harmony service would, at a steady pace. An event counts as
 * published once Kafka acknowledged it; while the broker is down a batch is
 * sent again (the same ids: ingest drops what it already took) until it is.
 */
export class UpstreamPublisher {
  /** Ids Kafka acknowledged, in order. */
  readonly published: string[] = [];
  private producer: Producer | undefined;
  private readonly kafka: Kafka;

  constructor(
    brokers: string,
    private readonly workspaceId: string,
  ) {
    this.kafka = new Kafka({
      clientId: 'crash-ledger-publisher',
      brokers: [brokers],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1_000,
      requestTimeout: 5_000,
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
  }

  /** Publishes one event (retrying until acknowledged); resolves with its id. */
  async publishOne(): Promise<string> {
    const [id] = await this.publishBatch(1);
    return id;
  }

  /** Publishes `count` events at `perSecond`, in batches of up to 10; resolves when Kafka acknowledged all of them. */
  async publish(count: number, perSecond: number): Promise<void> {
    const batch = Math.max(1, Math.min(10, Math.round(perSecond / 10)));
    const intervalMs = (1_000 * batch) / perSecond;
    const start = Date.now();
    for (let sent = 0; sent < count; sent += batch) {
      await this.publishBatch(Math.min(batch, count - sent));
      const due = start + ((sent + batch) / batch) * intervalMs;
      await sleep(due - Date.now());
    }
  }

  async close(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
  }

  private async publishBatch(size: number): Promise<string[]> {
    const ids = Array.from({ length: size }, () => randomUUID());
    const messages = ids.map((id) => ({
      key: this.workspaceId,
      value: JSON.stringify({ id, type: CONTACT_CREATED.type, workspaceId: this.workspaceId, occurredAt: new Date().toISOString(), data: CONTACT_CREATED.example }),
    }));
    for (;;) {
      try {
        if (!this.producer) {
          this.producer = this.kafka.producer({ allowAutoTopicCreation: false });
          await this.producer.connect();
        }
        await this.producer.send({ topic: TOPICS.upstream('contact'), acks: -1, messages });
        this.published.push(...ids);
        return ids;
      } catch {
        // Broker down or restarting: start over with a fresh producer.
        const failed = this.producer;
        this.producer = undefined;
        await failed?.disconnect().catch(() => undefined);
        await sleep(250);
      }
    }
  }
}
