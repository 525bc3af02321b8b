import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@harmony/platform-config';
import { LOGGER, type Logger } from '@harmony/platform-observability';
import { DataSource } from 'typeorm';
import { Transactions } from '../common/transactions';
import { publishSubscription } from '../webhooks/subscription-record.builder';

const INTERVAL_MS = 60 * 60 * 1000;
const SECRET_INTERVAL_MS = 60 * 1000;
const DELETE_BATCH = 10_000;

/**
 * Hourly: deletes delivery log rows and event payloads older than the
 * retention (DELIVERY_LOG_RETENTION_DAYS, default 30), in bounded batches so
 * no statement holds locks for long. Every minute: drops expired rotated-out
 * secrets, republishing those webhooks so the pipeline stops signing with them.
 */
@Injectable()
export class RetentionJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private secretTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.run().catch((error: unknown) => this.logger.warn({ err: error }, 'retention run failed'));
    }, INTERVAL_MS);
    this.timer.unref();
    // Secrets expire 24 h after a rotation, to the minute: the pipeline should stop signing with them then, not up to an hour later.
    this.secretTimer = setInterval(() => {
      this.retireExpiredSecrets(new Date()).catch((error: unknown) => this.logger.warn({ err: error }, 'secret expiry run failed'));
    }, SECRET_INTERVAL_MS);
    this.secretTimer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.secretTimer) clearInterval(this.secretTimer);
  }

  async run(now = new Date()): Promise<{ attempts: number; payloads: number; secrets: number }> {
    const cutoff = new Date(now.getTime() - this.config.subscriptions.deliveryLogRetentionDays * 24 * 60 * 60 * 1000);
    const attempts = await this.deleteInBatches('delivery_attempts', 'id', 'finished_at', cutoff);
    const payloads = await this.deleteInBatches('event_payloads', 'event_id', 'received_at', cutoff);
    const secrets = await this.retireExpiredSecrets(now);
    if (attempts + payloads + secrets > 0) {
      this.logger.info({ attempts, payloads, secrets, cutoff: cutoff.toISOString() }, 'retention: deleted old rows');
    }
    return { attempts, payloads, secrets };
  }

  /** Deletes rotated-out secrets past their expiry and republishes their webhooks; answers how many webhooks. */
  async retireExpiredSecrets(now: Date): Promise<number> {
    const expired: { subscription_id: string }[] = await this.dataSource.query(
      'SELECT DISTINCT subscription_id FROM signing_secrets WHERE expires_at IS NOT NULL AND expires_at <= $1',
      [now],
    );
    for (const { subscription_id: id } of expired) {
      await this.transactions.publishing(async (manager) => {
        await manager.query('DELETE FROM signing_secrets WHERE subscription_id = $1 AND expires_at IS NOT NULL AND expires_at <= $2', [id, now]);
        await publishSubscription(manager, id);
      });
    }
    return expired.length;
  }

  private async deleteInBatches(table: string, key: string, time: string, cutoff: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted: unknown[] = await this.dataSource.query(
        `DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE ${time} < $1 LIMIT ${DELETE_BATCH}) RETURNING ${key}`,
        [cutoff],
      );
      const count = Array.isArray(deleted) ? (Array.isArray(deleted[0]) ? (deleted[0] as unknown[]).length : deleted.length) : 0;
      total += count;
      if (count < DELETE_BATCH) return total;
    }
  }
}
