import { performance } from 'node:perf_hooks';
import { CompressionTypes, Kafka, logLevel, type Producer as KafkaProducer } from 'kafkajs';
import { freshEvent } from '../demo/example-events';
import { upstreamTopic } from './bench-topics';

/** Harmony's side: fresh catalog events to the upstream topics (key = workspace), each stamped with its send time. */
export class Producer {
  private constructor(
    private readonly kafka: Kafka,
    private readonly producer: KafkaProducer,
  ) {}

  static async connect(brokers: string[]): Promise<Producer> {
    const kafka = new Kafka({ clientId: 'harmony-bench', brokers, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    return new Producer(kafka, producer);
  }

  /** Messages not yet committed by the app's consumer groups, over every topic they consume: 0 = the pipeline has finished its work. */
  async consumerLag(): Promise<number> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const { groups } = await admin.listGroups();
      const ends = new Map<string, Map<number, number>>();
      let lag = 0;
      for (const { groupId } of groups) {
        for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
          if (!ends.has(topic)) ends.set(topic, new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)])));
          for (const { partition, offset } of partitions) lag += Math.max(0, (ends.get(topic)?.get(partition) ?? 0) - Math.max(0, Number(offset)));
        }
      }
      return lag;
    } finally {
      await admin.disconnect();
    }
  }

  /** Sends one event per item in one request; every event's sentAt is the moment that request left. */
  async send(items: { workspaceId: string; type: string }[]): Promise<{ id: string; sentAt: number }[]> {
    const events = items.map((item) => freshEvent(item.type, item.workspaceId));
    const byTopic = new Map<string, { key: string; value: string }[]>();
    for (const event of events) {
      const topic = upstreamTopic(event.type);
      const messages = byTopic.get(topic) ?? [];
      messages.push({ key: event.workspaceId, value: JSON.stringify(event) });
      byTopic.set(topic, messages);
    }
    const sentAt = performance.timeOrigin + performance.now();
    await this.producer.sendBatch({ topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })), compression: CompressionTypes.None });
    return events.map((event) => ({ id: event.id, sentAt }));
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}
