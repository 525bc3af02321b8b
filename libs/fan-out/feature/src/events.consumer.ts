import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { EVENT_TOPICS, InvalidMessage } from '@harmony/contracts';
import { ConsumerRunner, KafkaConnection } from '@harmony/platform-kafka';
import { HealthService, LOGGER, type Logger, MetricsService } from '@harmony/platform-observability';
import { FanOutService } from './fan-out.service';
import { SubscriptionGatedConsumers, SubscriptionIndexFollower } from '@harmony/webhooks/subscription-view';

export const FAN_OUT_GROUP_ID = 'webhooks.fan-out';
export const FAN_OUT_READINESS_CHECK = 'fan-out.subscriptions';

/**
 * Follows `webhooks.subscriptions` into the index and, only once it has
 * caught up, consumes the events topics: an event is never fanned out
 * against a half-built index. Readiness says which of the two it is.
 */
@Injectable()
export class EventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly subscriptions: SubscriptionIndexFollower;
  private readonly lifecycle: SubscriptionGatedConsumers;

  constructor(
    @Inject(KafkaConnection) connection: KafkaConnection,
    @Inject(FanOutService) private readonly fanOut: FanOutService,
    @Inject(HealthService) health: HealthService,
    @Inject(LOGGER) logger: Logger,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    this.subscriptions = new SubscriptionIndexFollower(connection, 'fan-out', logger, metrics);
    const runner = new ConsumerRunner(
      connection,
      {
        groupId: FAN_OUT_GROUP_ID,
        topics: [...EVENT_TOPICS],
        concurrency: 32,
        handle: async (message) => {
          await this.fanOut.fanOut(message, this.subscriptions.index);
        },
        onFailure: async (message, error) => {
          if (error instanceof InvalidMessage) return this.fanOut.reject(message, error.errors);
          // Not the record's fault (the producer failed, say): retry the partition from here, lose nothing.
          throw error;
        },
      },
      logger,
      metrics,
    );
    this.lifecycle = new SubscriptionGatedConsumers(this.subscriptions, [runner], { service: 'fan-out', readinessCheck: FAN_OUT_READINESS_CHECK, health, logger });
  }

  /** True once the index has caught up and events are being consumed. */
  get ready(): boolean {
    return this.lifecycle.ready;
  }

  onApplicationBootstrap(): Promise<void> {
    return this.lifecycle.bootstrap();
  }

  /** Resolves once events are being consumed. */
  whenReady(): Promise<void> {
    return this.lifecycle.whenReady();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.lifecycle.shutdown();
  }
}
