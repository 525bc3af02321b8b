import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { EVENT_TOPICS } from '@harmony/contracts';
import { ConsumerRunner, KafkaConnection } from '@harmony/platform-kafka';
import { HealthService, LOGGER, type Logger, MetricsService } from '@harmony/platform-observability';
import { FanOutService, InvalidEnvelopeError } from './fan-out.service';
import { SubscriptionIndexFollower } from '@harmony/pipeline/subscriptions';

export const FAN_OUT_GROUP_ID = 'webhooks.fan-out';
export const FAN_OUT_READINESS_CHECK = 'fan-out.subscriptions';

/** How long boot waits for the index before listening anyway (then /ready says "catching up"). */
const BOOT_WAIT_MS = 10_000;

/**
 * Follows `webhooks.subscriptions` into the index and, only once it has
 * caught up, consumes the events topics: an event is never fanned out
 * against a half-built index. Readiness says which of the two it is.
 */
@Injectable()
export class EventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly subscriptions: SubscriptionIndexFollower;
  private readonly runner: ConsumerRunner;
  private starting: Promise<void> | null = null;
  private consuming = false;
  private stopping = false;
  private startError: unknown = null;

  constructor(
    @Inject(KafkaConnection) connection: KafkaConnection,
    @Inject(FanOutService) private readonly fanOut: FanOutService,
    @Inject(HealthService) private readonly health: HealthService,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    this.subscriptions = new SubscriptionIndexFollower(connection, 'fan-out', logger, metrics);
    this.runner = new ConsumerRunner(
      connection,
      {
        groupId: FAN_OUT_GROUP_ID,
        topics: [...EVENT_TOPICS],
        concurrency: 32,
        handle: async (message) => {
          await this.fanOut.fanOut(message, this.subscriptions.index);
        },
        onFailure: async (message, error) => {
          if (error instanceof InvalidEnvelopeError) return this.fanOut.reject(message, error.errors);
          // Not the record's fault (the producer failed, say): retry the partition from here, lose nothing.
          throw error;
        },
      },
      logger,
      metrics,
    );
  }

  /** True once the index has caught up and events are being consumed. */
  get ready(): boolean {
    return this.consuming;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.health.register({
      name: FAN_OUT_READINESS_CHECK,
      check: async () => {
        if (this.startError !== null) throw new Error(`failed to start: ${String((this.startError as Error).message ?? this.startError)}`);
        if (!this.consuming) throw new Error(this.subscriptions.ready ? 'starting the events consumer' : 'catching up with webhooks.subscriptions');
      },
    });
    this.starting = this.start().catch((error: unknown) => {
      this.startError = error;
      this.logger.error({ err: error }, 'fan-out failed to start');
    });
    // Usually caught up in well under a second; a huge topic must not keep /health from answering.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.starting, new Promise((resolve) => (timer = setTimeout(resolve, BOOT_WAIT_MS)))]);
    clearTimeout(timer);
  }

  /** Resolves once events are being consumed. */
  async whenReady(): Promise<void> {
    await this.starting;
    if (!this.consuming) throw new Error('fan-out did not start');
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    // While still catching up, start() waits on the follower forever once it is stopped: do not wait for it.
    if (this.subscriptions.ready) {
      await this.starting;
      await this.runner.stop();
    }
    await this.subscriptions.stop();
    this.consuming = false;
  }

  private async start(): Promise<void> {
    await this.subscriptions.start();
    if (this.stopping) return;
    this.logger.info({ subscriptions: this.subscriptions.index.size }, 'subscription index caught up; consuming events');
    await this.runner.start();
    this.consuming = true;
  }
}
