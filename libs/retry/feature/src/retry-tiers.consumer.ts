import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InvalidMessage, RETRY_TIERS, type RetryTierName, TOPICS } from '@harmony/contracts';
import { SubscriptionGatedConsumers, SubscriptionIndexFollower } from '@harmony/webhooks/subscription-view';
import { ConsumerRunner, holdUntil, KafkaConnection } from '@harmony/platform-kafka';
import { HealthService, LOGGER, type Logger, MetricsService } from '@harmony/platform-observability';
import { RetrySchedulerService } from './retry-scheduler.service';

export const RETRY_READINESS_CHECK = 'retry-scheduler.subscriptions';

/** One consumer group per tier, so a 5 s retry never waits behind a 10 h one. */
export function retryGroupId(tier: RetryTierName): string {
  return `webhooks.retry-scheduler.${tier}`;
}

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
  private readonly lifecycle: SubscriptionGatedConsumers;

  constructor(
    @Inject(KafkaConnection) connection: KafkaConnection,
    @Inject(RetrySchedulerService) private readonly scheduler: RetrySchedulerService,
    @Inject(HealthService) health: HealthService,
    @Inject(LOGGER) logger: Logger,
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
            mode: holdUntil((message) => this.scheduler.dueAt(message)),
            handle: async (message) => {
              await this.scheduler.release(message, tier, this.subscriptions);
            },
            onFailure: async (message, error) => {
              if (error instanceof InvalidMessage) return this.scheduler.reject(message, tier, error.errors);
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
    this.lifecycle = new SubscriptionGatedConsumers(this.subscriptions, [...this.runners.values()], {
      service: 'retry-scheduler',
      readinessCheck: RETRY_READINESS_CHECK,
      health,
      logger,
    });
  }

  get ready(): boolean {
    return this.lifecycle.ready;
  }

  onApplicationBootstrap(): Promise<void> {
    return this.lifecycle.bootstrap();
  }

  /** Resolves once every tier is being consumed. */
  whenReady(): Promise<void> {
    return this.lifecycle.whenReady();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.lifecycle.shutdown();
  }
}
