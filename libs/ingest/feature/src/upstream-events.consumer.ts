import { EVENT_TOPICS, UPSTREAM_TOPICS } from '@harmony/contracts';
import { APP_CONFIG, type AppConfig } from '@harmony/platform-config';
import { type ConsumedMessage, KafkaConnection, KafkaConsumers, TopicAdmin, TopicFollower } from '@harmony/platform-kafka';
import { LOGGER, type Logger } from '@harmony/platform-observability';
import { ApiKeyDirectory } from './api-key-directory';
import { EventIngestService } from './event-ingest.service';

export const INGEST_GROUP_ID = 'webhooks.event-ingest';
export const INGEST_READINESS_CHECK = 'event-ingest';
/** Nest token of event-ingest's KafkaConsumers. */
export const INGEST_CONSUMERS = 'event-ingest.consumers';

/**
 * Consumes the upstream topics. Before it starts, the API keys are read and
 * the dedupe memory (keyed by workspace and event id) is rebuilt from what
 * was forwarded during the last window (the events topics themselves), so
 * duplicates are caught across restarts; it keeps following them so ids
 * forwarded by other ingest instances count too. Readiness is the HTTP
 * side's: keys and recent events read.
 */
export const UPSTREAM_EVENTS_CONSUMER = KafkaConsumers.provide({
  provide: INGEST_CONSUMERS,
  inject: [APP_CONFIG, KafkaConnection, TopicAdmin, EventIngestService, ApiKeyDirectory, LOGGER],
  useFactory: (config: AppConfig, connection: KafkaConnection, admin: TopicAdmin, ingest: EventIngestService, keys: ApiKeyDirectory, logger: Logger) => {
    const history = new TopicFollower(
      connection,
      {
        name: 'webhooks.event-ingest.dedupe',
        topics: [...EVENT_TOPICS],
        from: { timestamp: Date.now() - config.ingest.dedupeWindowMs },
        apply: (message) => {
          const { id, workspaceId } = (message.value ? JSON.parse(message.value.toString('utf8')) : {}) as { id?: unknown; workspaceId?: unknown };
          if (typeof id === 'string' && typeof workspaceId === 'string') ingest.seen.remember(workspaceId, id, message.timestamp, Date.now());
        },
      },
      logger,
    );
    return {
      service: 'event-ingest',
      after: [keys, history],
      readiness: { name: INGEST_READINESS_CHECK, consumers: false },
      // Upstream topics may be configured to names the pipeline does not provision.
      prepare: () => admin.ensureTopics((config.ingest.upstreamTopics ?? []).map((topic) => ({ topic }))),
      consumers: [
        {
          groupId: INGEST_GROUP_ID,
          topics: config.ingest.upstreamTopics ?? [...UPSTREAM_TOPICS],
          concurrency: 32,
          handle: async (message) => {
            await ingest.ingest(message.value ?? Buffer.alloc(0), source(message));
          },
          // Unexpected failures (not validation): still moved aside with the reason, never lost.
          onFailure: (message, error) =>
            ingest.reject(message.value ?? Buffer.alloc(0), source(message), [
              { path: '', reason: `ingest failed: ${error instanceof Error ? error.message : String(error)}` },
            ]),
        },
      ],
    };
  },
});

function source(message: ConsumedMessage) {
  return { kind: 'kafka' as const, topic: message.topic, partition: message.partition, offset: message.offset, key: message.key?.toString('utf8') ?? null };
}
