import type { ValidationError } from '../validation/schema-validator';
import type { RejectedRecord, RejectedSource } from './rejected-record.schema';

export interface RejectionInput {
  /** The record's value as received (kept byte for byte); `null` for an empty Kafka record. */
  bytes: Buffer | null;
  source: RejectedSource;
  /** Why (an InvalidMessage's errors); at least one is kept, `'rejected'` when none is known. */
  errors: ValidationError[];
  /** Prefixes the reason with who refused it (`fan-out`, `retry-scheduler`); none for ingest. */
  refusedBy?: string;
  now?: Date;
}

/**
 * The RejectedRecord (on `webhooks.ingest.rejected`) for a record a service
 * could not use: the first error as the summary, the original bytes, and
 * whatever identifying fields can still be read (an event's
 * `id`/`type`/`workspaceId`, or a delivery job's `event.id`/`event.type`/
 * `workspaceId`) so operators can search the rejects.
 */
export function rejectedRecord(input: RejectionInput): RejectedRecord {
  const [first = { path: '', reason: 'rejected' }] = input.errors;
  const errors = input.errors.length > 0 ? input.errors : [first];
  const summary = `${first.path || '/'}: ${first.reason}`;
  const bytes = input.bytes ?? Buffer.alloc(0);
  const readable = readableFields(bytes);
  return {
    reason: input.refusedBy ? `${input.refusedBy}: ${summary}` : summary,
    errors,
    source: input.source,
    originalBase64: bytes.toString('base64'),
    eventId: readable.eventId,
    eventType: readable.eventType,
    workspaceId: readable.workspaceId,
    rejectedAt: (input.now ?? new Date()).toISOString(),
  };
}

/** The Kafka message of a rejected record for `webhooks.ingest.rejected`: keyed by its workspace where that could be read. */
export function rejectedMessage(input: RejectionInput): { key: string | null; value: string } {
  const record = rejectedRecord(input);
  return { key: record.workspaceId, value: JSON.stringify(record) };
}

/** Where a refused Kafka record was read (any consumed message has these). */
export function kafkaSource(message: { topic: string; partition: number; offset: string; key: Buffer | null }): RejectedSource {
  return { kind: 'kafka', topic: message.topic, partition: message.partition, offset: message.offset, key: message.key?.toString('utf8') ?? null };
}

function readableFields(bytes: Buffer): { eventId: string | null; eventType: string | null; workspaceId: string | null } {
  let value: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return { eventId: null, eventType: null, workspaceId: null };
    value = parsed as Record<string, unknown>;
  } catch {
    return { eventId: null, eventType: null, workspaceId: null };
  }
  const text = (field: unknown): string | null => (typeof field === 'string' ? field.slice(0, 200) : null);
  const event = typeof value['event'] === 'object' && value['event'] !== null ? (value['event'] as Record<string, unknown>) : value;
  return { eventId: text(event['id']), eventType: text(event['type']), workspaceId: text(value['workspaceId']) };
}
