import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { OutboxMessageEntity } from '../entities';

/** The outbox: Kafka messages queued inside the transaction of the change they announce, read and deleted by the relay. */
@Injectable()
export class OutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Queues a Kafka message inside the caller's transaction: it is sent if and only if the change commits. */
  async enqueue(manager: EntityManager, topic: string, key: string | null, value: unknown | null): Promise<void> {
    await manager.insert(OutboxMessageEntity, {
      topic,
      key,
      value: value === null ? null : JSON.stringify(value),
      createdAt: new Date(),
    });
  }

  /** The oldest committed rows, in seq order. */
  oldest(limit: number): Promise<OutboxMessageEntity[]> {
    return this.dataSource.getRepository(OutboxMessageEntity).find({ order: { seq: 'ASC' }, take: limit });
  }

  /** Deletes sent rows by seq, not `<= last`: a transaction that took a lower seq may commit after they were read. */
  async delete(seqs: string[]): Promise<void> {
    await this.dataSource.getRepository(OutboxMessageEntity).delete({ seq: In(seqs) });
  }
}
