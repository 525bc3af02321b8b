import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

const DELETE_BATCH = 10_000;

/** Deletes of retention: old log rows and payloads, expired rotated-out secrets. */
@Injectable()
export class RetentionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Delivery log rows finished before the cutoff, in bounded batches; answers how many. */
  deleteAttemptsBefore(cutoff: Date): Promise<number> {
    return this.deleteInBatches('delivery_attempts', 'id', 'finished_at', cutoff);
  }

  /** Event payloads received before the cutoff, in bounded batches; answers how many. */
  deletePayloadsBefore(cutoff: Date): Promise<number> {
    return this.deleteInBatches('event_payloads', 'event_id', 'received_at', cutoff);
  }

  /** The webhooks that have a rotated-out secret past its expiry. */
  async webhooksWithExpiredSecrets(now: Date): Promise<string[]> {
    const rows: { subscription_id: string }[] = await this.dataSource.query(
      'SELECT DISTINCT subscription_id FROM signing_secrets WHERE expires_at IS NOT NULL AND expires_at <= $1',
      [now],
    );
    return rows.map((row) => row.subscription_id);
  }

  async deleteExpiredSecrets(manager: EntityManager, subscriptionId: string, now: Date): Promise<void> {
    await manager.query('DELETE FROM signing_secrets WHERE subscription_id = $1 AND expires_at IS NOT NULL AND expires_at <= $2', [subscriptionId, now]);
  }

  /** Bounded batches, so no statement holds locks for long. */
  private async deleteInBatches(table: string, key: string, time: string, cutoff: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted: unknown[] = await this.dataSource.query(
        `DELETE FROM ${table} WHERE ${time} < $1 AND ${key} IN (SELECT ${key} FROM ${table} WHERE ${time} < $1 LIMIT ${DELETE_BATCH}) RETURNING ${key}`,
        [cutoff],
      );
      const count = Array.isArray(deleted) ? (Array.isArray(deleted[0]) ? (deleted[0] as unknown[]).length : deleted.length) : 0;
      total += count;
      if (count < DELETE_BATCH) return total;
    }
  }
}
