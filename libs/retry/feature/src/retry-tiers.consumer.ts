import { Inject, Injectable } from '@nestjs/common';
import { InvalidMessage, RETRY_TIERS, type RetryTierName, TOPICS } from '@harmony/contracts';
import { holdUntil, KafkaConsumers } from '@harmony/platform-kafka';
import { MetricsService } from '@harmony/platform-observability';
import { SubscriptionView } from '@harmony/webhooks/subscription-view';
import { RetrySchedulerService } from './retry-scheduler.service';

export const RETRY_READINESS_CHECK = 'retry-scheduler.subscriptions';
/** Nest token of the retry-scheduler's KafkaConsumers. */
export const RETRY_CONSUMERS = 'retry-scheduler.consumers';

/**
 * The one consumer group of every tier. Each tier is its own topic, so a 5 s
 * retry never waits behind a 10 h one: the hold is per partition.
 */
export const RETRY_GROUP_ID = 'webhooks.retry-scheduler';

/**
 * The group each tier had until one group took them all (decision 0101 §4):
 * its committed offsets are carried over to RETRY_GROUP_ID on first start.
 */
export function formerRetryGroupId(tier: RetryTierName): string {
  return `webhooks.retry-scheduler.${tier}`;
}

/**
 * One consumer (one fetch loop, one heartbeat) for every `webhooks.retries.<tier>` topic; holds each job until its
 * `notBefore` (the `holdUntil` mode: the partition is paused at a job not yet
 * due and resumed one fetch wait before it is; the job is then waited for in
 * its batch). So an idle tier long-polls like every other consumer, no more
 * than one fetch wait of jobs sits in memory, and nothing held is committed —
 * a restart holds the same jobs again. Starts only once the process's view of
 * `webhooks.subscriptions` has caught up, so a job is never dropped for a
 * webhook it simply has not read yet.
 */
export const RETRY_TIERS_CONSUMER = KafkaConsumers.provide({
  provide: RETRY_CONSUMERS,
  inject: [RetrySchedulerService, SubscriptionView],
  useFactory: (scheduler: RetrySchedulerService, view: SubscriptionView) => ({
    service: 'retry-scheduler',
    after: [view],
    readiness: { name: RETRY_READINESS_CHECK },
    bootWaitMs: SubscriptionView.BOOT_WAIT_MS,
    consumers: [
      {
        groupId: RETRY_GROUP_ID,
        topics: RETRY_TIERS.map(({ name: tier }) => TOPICS.retries(tier)),
        replaces: RETRY_TIERS.map(({ name: tier }) => ({ groupId: formerRetryGroupId(tier), topics: [TOPICS.retries(tier)] })),
        concurrency: 16,
        mode: holdUntil((message) => scheduler.dueAt(message)),
        handle: async (message) => {
          await scheduler.release(message, tierOf(message.topic), view);
        },
        onFailure: async (message, error) => {
          if (error instanceof InvalidMessage) return scheduler.reject(message, tierOf(message.topic), error.errors);
          // Not the record's fault (the producer failed, say): retry the partition from here, lose nothing.
          throw error;
        },
      },
    ],
  }),
});

const TIER_BY_TOPIC = new Map<string, RetryTierName>(RETRY_TIERS.map(({ name }) => [TOPICS.retries(name), name]));

function tierOf(topic: string): RetryTierName {
  const tier = TIER_BY_TOPIC.get(topic);
  if (!tier) throw new Error(`not a retry tier topic: ${topic}`);
  return tier;
}

/** `retry_jobs_held{tier}`: what waits in the partitions the tiers hold. */
@Injectable()
export class HeldRetriesGauge {
  constructor(@Inject(RETRY_CONSUMERS) consumers: KafkaConsumers, @Inject(MetricsService) metrics: MetricsService) {
    metrics.gauge({
      name: 'retry_jobs_held',
      help: 'Retries waiting in partitions paused at a job not yet due (counted when each partition was paused), by tier.',
      labelNames: ['tier'],
      collect() {
        const holds = consumers.runner(RETRY_GROUP_ID).holds();
        for (const { name: tier } of RETRY_TIERS) {
          this.set({ tier }, holds.filter((hold) => hold.topic === TOPICS.retries(tier)).reduce((sum, hold) => sum + hold.waiting, 0));
        }
      },
    });
  }
}
