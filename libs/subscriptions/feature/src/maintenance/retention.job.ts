import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@harmony/platform-config';
import { LOGGER, type Logger } from '@harmony/platform-observability';
import { Transactions } from '../common/transactions';
import { EndpointHealthRepository, HEALTH_ROLLUP_KEPT_MS } from '../health/endpoint-health.repository';
import { WebhookRepository } from '../webhooks/webhook.repository';
import { RetentionRepository } from './retention.repository';

const INTERVAL_MS = 60 * 60 * 1000;
const SECRET_INTERVAL_MS = 60 * 1000;

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
    private readonly repository: RetentionRepository,
    private readonly webhooks: WebhookRepository,
    private readonly transactions: Transactions,
    private readonly health: EndpointHealthRepository,
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
    const attempts = await this.repository.deleteAttemptsBefore(cutoff);
    const payloads = await this.repository.deletePayloadsBefore(cutoff);
    const secrets = await this.retireExpiredSecrets(now);
    await this.health.deleteBefore(new Date(now.getTime() - HEALTH_ROLLUP_KEPT_MS));
    if (attempts + payloads + secrets > 0) {
      this.logger.info({ attempts, payloads, secrets, cutoff: cutoff.toISOString() }, 'retention: deleted old rows');
    }
    return { attempts, payloads, secrets };
  }

  /** Deletes rotated-out secrets past their expiry and republishes their webhooks; answers how many webhooks. */
  async retireExpiredSecrets(now: Date): Promise<number> {
    const expired = await this.repository.webhooksWithExpiredSecrets(now);
    for (const id of expired) {
      await this.transactions.publishing(async (manager) => {
        await this.repository.deleteExpiredSecrets(manager, id, now);
        await this.webhooks.publish(manager, id);
      });
    }
    return expired.length;
  }
}
