import { Inject, Injectable } from '@nestjs/common';
import {
  type EventEnvelope,
  getEventCategory,
  rejectedMessage,
  type RejectedSource,
  safeDecode,
  TOPICS,
  validateUpstreamEvent,
  type ValidationError,
} from '@harmony/contracts';
import { SeenEvents } from '@harmony/ingest/domain';
import { APP_CONFIG, type AppConfig } from '@harmony/platform-config';
import { KafkaProducer } from '@harmony/platform-kafka';
import { MetricsService } from '@harmony/platform-observability';

export type IngestResult =
  | { outcome: 'accepted'; eventId: string }
  | { outcome: 'duplicate'; eventId: string }
  | { outcome: 'rejected'; errors: ValidationError[] };

/**
 * The one way an upstream event enters the pipeline, from Kafka or HTTP:
 * validate against the catalog → drop if its (workspace, id) was seen within the window → forward
 * the envelope to `webhooks.events.<category>` keyed by workspace. A bad
 * event is never dropped silently: it goes to `webhooks.ingest.rejected`
 * with the reason and its original bytes.
 */
@Injectable()
export class EventIngestService {
  readonly seen: SeenEvents;
  private readonly outcomes;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(KafkaProducer) private readonly producer: KafkaProducer,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    const seen = (this.seen = new SeenEvents(config.ingest.dedupeWindowMs, config.ingest.dedupeMaxIds));
    metrics.gauge({
      name: 'ingest_dedupe_window_bytes',
      help: 'Memory of the dedupe window (event ids of the last INGEST_DEDUPE_WINDOW_MS, bounded by INGEST_DEDUPE_MAX_IDS).',
      collect() {
        this.set(seen.bytes);
      },
    });
    metrics.gauge({
      name: 'ingest_dedupe_evicted_ids',
      help: 'Event ids forgotten before their window ended because more than INGEST_DEDUPE_MAX_IDS were in it (raise it when this grows).',
      collect() {
        this.set(seen.evicted);
      },
    });
    this.outcomes = metrics.counter({
      name: 'ingest_events_total',
      help: 'Upstream events by outcome (accepted, duplicate, rejected) and source (kafka, http).',
      labelNames: ['outcome', 'source'],
    });
  }

  async ingest(bytes: Buffer, source: RejectedSource): Promise<IngestResult> {
    const parsed = safeDecode(validateUpstreamEvent, bytes);
    if (!parsed.ok) {
      await this.reject(bytes, source, parsed.errors);
      return { outcome: 'rejected', errors: parsed.errors };
    }
    return this.accept(parsed.value, source.kind);
  }

  /** Dedupes and forwards an envelope that has already passed validation (HTTP validates a whole batch first). */
  async accept(envelope: EventEnvelope, source: RejectedSource['kind']): Promise<IngestResult> {
    if (!this.seen.reserve(envelope.workspaceId, envelope.id, Date.now())) {
      this.outcomes.inc({ outcome: 'duplicate', source });
      return { outcome: 'duplicate', eventId: envelope.id };
    }
    try {
      await this.forward(envelope);
    } catch (error) {
      this.seen.release(envelope.workspaceId, envelope.id);
      throw error;
    }
    this.outcomes.inc({ outcome: 'accepted', source });
    return { outcome: 'accepted', eventId: envelope.id };
  }

  /** Moves a record aside that could not be ingested for a reason other than validation. */
  async reject(bytes: Buffer, source: RejectedSource, errors: ValidationError[]): Promise<void> {
    await this.producer.send(TOPICS.ingestRejected, [rejectedMessage({ bytes, source, errors })]);
    this.outcomes.inc({ outcome: 'rejected', source: source.kind });
  }

  private async forward(envelope: EventEnvelope): Promise<void> {
    // The catalog validated the type, so it has a category.
    const category = getEventCategory(envelope.type);
    if (!category) throw new Error(`no category for ${envelope.type}`);
    await this.producer.send(TOPICS.events(category), [
      { key: envelope.workspaceId, value: JSON.stringify(envelope), headers: { 'event-type': envelope.type } },
    ]);
  }
}

