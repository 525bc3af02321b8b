import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { RETRY_TIERS, type RetryTierName, TOPICS } from '@harmony/contracts';
import { SubscriptionIndexFollower } from '@harmony/pipeline/subscriptions';
import { ConsumerRunner, KafkaConnection } from '@harmony/platform-kafka';
import { HealthService, LOGGER, type Logger, MetricsService } from '@harmony/platform-observability';
import { InvalidJobError, RetrySchedulerService } from './retry-scheduler.service';

export const RETRY_READINESS_CHECK = 'retry-scheduler.subscriptions';

/** One consumer group per tier, so a 5 s retry never waits behind a 10 h one. */
export function retryGroupId(tier: RetryTierName): string {
  return `webhooks.retry-scheduler.${tier}`;
}

/** How long boot waits for the subscriptions view before listening anyway (then /ready says "catching up"). */
const BOOT_WAIT_MS = 10_000;
/** Longest a resumed partition waits for its next fetch: bounds how late a due retry is picked up. */
const FETCH_WAIT_MS = 250;

/**
 * Consumes every `webhooks.retries.<tier>` topic and holds each job until its
 * `notBefore`: the partition is paused at a job not yet due and resumed when
 * it is (ConsumerRunner `holdUntil`), so nothing waits in memory and nothing
 * held is committed — a restart holds the same jobs again. Starts only once
 * its view of `webhooks.subscriptions` has caught up, so a job is never
 * dropped for a webhook it simply has not read yet.
 */
@Injectable()
export class RetryTiersConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly subscriptions: SubscriptionIndexFollower;
  readonly runners = new Map<RetryTierName, ConsumerRunner>();
  private starting: Promise<void> | null = null;
  private consuming = false;
  private stopping = false;
  private startError: unknown = null;

  constructor(
    @Inject(KafkaConnection) connection: KafkaConnection,
    @Inject(RetrySchedulerService) private readonly scheduler: RetrySchedulerService,
    @Inject(HealthService) private readonly health: HealthService,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    this.subscriptions = new SubscriptionIndexFollower(connection, 'retry-scheduler', logger, metrics);
    for (const { name: tier } of RETRY_TIERS) {
      this.runners.set(
        tier,
        new ConsumerRunner(
          connection,
          {
            groupId: retryGroupId(tier),
            topics: [TOPICS.retries(tier)],
            concurrency: 16,
            maxWaitTimeMs: FETCH_WAIT_MS,
            holdUntil: (message) => this.scheduler.dueAt(message),
            handle: async (message) => {
              await this.scheduler.release(message, tier, this.subscriptions);
            },
            onFailure: async (message, error) => {
              if (error instanceof InvalidJobError) return this.scheduler.reject(message, tier, error.errors);
              // Not the record's fault (the producer failed, say): retry the partition from here, lose nothing.
              throw error;
            },
          },
          logger,
          metrics,
        ),
      );
    }
    const runners = this.runners;
    metrics.gauge({
      name: 'retry_jobs_held',
      help: 'Retries waiting in partitions paused at a job not yet due (counted when each partition was paused), by tier.',
      labelNames: ['tier'],
      collect() {
        for (const [tier, runner] of runners) this.set({ tier }, runner.holds().reduce((sum, hold) => sum + hold.waiting, 0));
      },
    });
  }

  get ready(): boolean {
    return this.consuming;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.health.register({
      name: RETRY_READINESS_CHECK,
      check: async () => {
        if (this.startError !== null) throw new Error(`failed to start: ${(this.startError as Error).message ?? String(this.startError)}`);
        if (!this.consuming) throw new Error(this.subscriptions.ready ? 'starting the retry consumers' : 'catching up with webhooks.subscriptions');
      },
    });
    this.starting = this.start().catch((error: unknown) => {
      this.startError = error;
      this.logger.error({ err: error }, 'retry-scheduler failed to start');
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.starting, new Promise((resolve) => (timer = setTimeout(resolve, BOOT_WAIT_MS)))]);
    clearTimeout(timer);
  }

  /** Resolves once every tier is being consumed. */
  async whenReady(): Promise<void> {
    await this.starting;
    if (!this.consuming) throw new Error('retry-scheduler did not start');
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    // While still catching up, start() waits on the follower forever once it is stopped: do not wait for it.
    if (this.subscriptions.ready) {
      await this.starting;
      await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
    }
    await this.subscriptions.stop();
    this.consuming = false;
  }

  private async start(): Promise<void> {
    await this.subscriptions.start();
    if (this.stopping) return;
    await Promise.all([...this.runners.values()].map((runner) => runner.start()));
    this.consuming = true;
    this.logger.info({ subscriptions: this.subscriptions.index.size, tiers: [...this.runners.keys()] }, 'retry tiers consumed');
  }
}
