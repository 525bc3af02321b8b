import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { EVENT_TOPICS, UPSTREAM_TOPICS } from '@harmony/contracts';
import { APP_CONFIG, type AppConfig } from '@harmony/platform-config';
import { ConsumerRunner, KafkaConnection, TopicAdmin, TopicFollower } from '@harmony/platform-kafka';
import { HealthService, LOGGER, type Logger, MetricsService } from '@harmony/platform-observability';
import { ApiKeyDirectory } from './api-key-directory';
import { EventIngestService } from './event-ingest.service';

export const INGEST_GROUP_ID = 'webhooks.event-ingest';
export const INGEST_READINESS_CHECK = 'event-ingest';

/**
 * Consumes the upstream topics. Before it starts, the dedupe memory (keyed by
 * workspace and event id) is rebuilt from what was forwarded during the last window (the events topics
 * themselves), so duplicates are caught across restarts; it keeps following
 * them so ids forwarded by other ingest instances count too.
 */
@Injectable()
export class UpstreamEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly runner: ConsumerRunner;
  private readonly history: TopicFollower;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(KafkaConnection) connection: KafkaConnection,
    @Inject(TopicAdmin) private readonly admin: TopicAdmin,
    @Inject(EventIngestService) private readonly ingest: EventIngestService,
    @Inject(ApiKeyDirectory) private readonly keys: ApiKeyDirectory,
    @Inject(HealthService) health: HealthService,
    @Inject(LOGGER) logger: Logger,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    health.register({
      name: INGEST_READINESS_CHECK,
      check: async () => {
        if (!this.keys.ready || !this.history.ready) throw new Error('still reading API keys and recent events');
      },
    });
    const upstreamTopics = config.ingest.upstreamTopics ?? [...UPSTREAM_TOPICS];
    this.history = new TopicFollower(
      connection,
      {
        name: 'webhooks.event-ingest.dedupe',
        topics: [...EVENT_TOPICS],
        from: { timestamp: Date.now() - config.ingest.dedupeWindowMs },
        apply: (message) => {
          const { id, workspaceId } = (message.value ? JSON.parse(message.value.toString('utf8')) : {}) as { id?: unknown; workspaceId?: unknown };
          if (typeof id === 'string' && typeof workspaceId === 'string') this.ingest.seen.remember(workspaceId, id, message.timestamp, Date.now());
        },
      },
      logger,
    );
    this.runner = new ConsumerRunner(
      connection,
      {
        groupId: INGEST_GROUP_ID,
        topics: upstreamTopics,
        concurrency: 32,
        handle: async (message) => {
          await this.ingest.ingest(message.value ?? Buffer.alloc(0), source(message));
        },
        // Unexpected failures (not validation): still moved aside with the reason, never lost.
        onFailure: (message, error) =>
          this.ingest.reject(message.value ?? Buffer.alloc(0), source(message), [
            { path: '', reason: `ingest failed: ${error instanceof Error ? error.message : String(error)}` },
          ]),
      },
      logger,
      metrics,
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    // Upstream topics may be configured to names the pipeline does not provision.
    await this.admin.ensureTopics((this.config.ingest.upstreamTopics ?? []).map((topic) => ({ topic })));
    await Promise.all([this.keys.start(), this.history.start()]);
    await this.runner.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    await Promise.all([this.history.stop(), this.keys.stop()]);
  }
}

function source(message: { topic: string; partition: number; offset: string; key: Buffer | null }) {
  return { kind: 'kafka' as const, topic: message.topic, partition: message.partition, offset: message.offset, key: message.key?.toString('utf8') ?? null };
}
