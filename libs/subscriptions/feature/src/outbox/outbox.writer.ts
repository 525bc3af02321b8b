import type { EntityManager } from 'typeorm';
import { OutboxMessageEntity } from '../entities';

/** Queues a Kafka message inside the caller's transaction: it is sent if and only if the change commits. */
export async function enqueueOutbox(manager: EntityManager, topic: string, key: string | null, value: unknown | null): Promise<void> {
  await manager.insert(OutboxMessageEntity, {
    topic,
    key,
    value: value === null ? null : JSON.stringify(value),
    createdAt: new Date(),
  });
}
