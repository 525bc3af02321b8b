import type { ValidationError } from '../validation/schema-validator';
import type { RejectedRecord, RejectedSource } from './rejected-record.schema';

export interface RejectionInput {
  /** The record's value as received (kept byte for byte). */
  bytes: Buffer;
  source: RejectedSource;
  errors: ValidationError[];
  /** Prefixes the reason with who refused it (`fan-out`, `retry-scheduler`); none for ingest. */
  refusedBy?: string;
  /** The reason when there is no error to quote. */
  fallbackReason: string;
  now?: Date;
}

/**
 * The RejectedRecord for a record a service could not use: the first error
 * as the summary, the original bytes, and whatever identifying fields can
 * still be read (an event's `id`/`type`/`workspaceId`, or a delivery job's
 * `event.id`/`event.type`/`workspaceId`) so operators can search the rejects.
 */
export function buildRejectedRecord(input: RejectionInput): RejectedRecord {
  const first = input.errors[0];
  const summary = first ? `${first.path || '/'}: ${first.reason}` : input.fallbackReason;
  const readable = readableFields(input.bytes);
  return {
    reason: input.refusedBy ? `${input.refusedBy}: ${summary}` : summary,
    errors: input.errors,
    source: input.source,
    originalBase64: input.bytes.toString('base64'),
    eventId: readable.eventId,
    eventType: readable.eventType,
    workspaceId: readable.workspaceId,
    rejectedAt: (input.now ?? new Date()).toISOString(),
  };
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
