import { Injectable } from '@nestjs/common';
import type { AttemptRecord, EventEnvelope } from '@harmony/contracts';
import { DataSource, type EntityManager, In } from 'typeorm';
import { ROWS_PER_STATEMENT, valuesPlaceholders } from '../common/multi-row';
import { DeliveryAttemptEntity, SubscriptionEntity } from '../entities';

/** An endpoint's health as attempts move it. */
export interface HealthChange {
  failingSince: Date | null;
  lastAttemptAt: Date | null;
}

/** Writes of attempt recording: the log rows and the health columns of their webhooks, inside the caller's transaction. */
@Injectable()
export class AttemptRecordingRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A Test button send, logged with the example payload it sent (kept like an event's), in one transaction. */
  async recordTest(envelope: EventEnvelope, attempt: DeliveryAttemptEntity): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('INSERT INTO event_payloads (event_id, workspace_id, event_type, envelope) VALUES ($1, $2, $3, $4) ON CONFLICT (workspace_id, event_id) DO NOTHING', [
        envelope.id,
        envelope.workspaceId,
        envelope.type,
        JSON.stringify(envelope),
      ]);
      await manager.insert(DeliveryAttemptEntity, attempt);
    });
  }

  /**
   * Upserts attempts (distinct ids), a multi-row statement per chunk: a new id is
   * inserted, an outcome replaces its attempt's `sending` intent, anything else (a
   * replayed record) changes nothing. Answers the ids written.
   */
  async upsert(manager: EntityManager, records: AttemptRecord[]): Promise<Set<string>> {
    const written = new Set<string>();
    for (let i = 0; i < records.length; i += ROWS_PER_STATEMENT) {
      for (const id of await upsertChunk(manager, records.slice(i, i + ROWS_PER_STATEMENT))) written.add(id);
    }
    return written;
  }

  /** The webhooks, locked for update in id order, so two concurrent batches never deadlock on PostgreSQL. */
  lockWebhooks(manager: EntityManager, ids: string[]): Promise<SubscriptionEntity[]> {
    const sorted = [...new Set(ids)].sort();
    return manager.find(SubscriptionEntity, { where: { id: In(sorted) }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
  }

  /** One statement for the health of every webhook that changed. */
  async saveHealth(manager: EntityManager, changes: Map<string, HealthChange>): Promise<void> {
    if (changes.size === 0) return;
    const rows = [...changes];
    await manager.query(
      `UPDATE subscriptions s
          SET failing_since = v.failing_since::timestamptz, last_attempt_at = v.last_attempt_at::timestamptz
         FROM (VALUES ${valuesPlaceholders(rows.length, 3)}) AS v (id, failing_since, last_attempt_at)
        WHERE s.id = v.id`,
      rows.flatMap(([id, health]) => [id, health.failingSince?.toISOString() ?? null, health.lastAttemptAt?.toISOString() ?? null]),
    );
  }

  async disable(manager: EntityManager, id: string, reason: string, at: Date): Promise<void> {
    await manager.update(SubscriptionEntity, { id }, { enabled: false, disabledReason: reason, disabledAt: at });
  }
}

const ATTEMPT_COLUMNS = [
  'id', 'workspace_id', 'subscription_id', 'job_id', 'event_id', 'event_type', 'attempt', 'outcome', 'url', 'http_status', 'duration_ms',
  'response_headers', 'trigger', 'requested_by', 'response_body', 'response_body_truncated', 'error_code', 'error_message', 'request_headers', 'started_at', 'finished_at', 'next_attempt_at',
];
/** Casts of the VALUES columns (parameters arrive untyped). */
const ATTEMPT_CASTS: Record<string, string> = {
  attempt: 'integer',
  http_status: 'integer',
  duration_ms: 'integer',
  response_headers: 'jsonb',
  requested_by: 'jsonb',
  response_body_truncated: 'boolean',
  request_headers: 'jsonb',
  started_at: 'timestamptz',
  finished_at: 'timestamptz',
  next_attempt_at: 'timestamptz',
};

async function upsertChunk(manager: EntityManager, records: AttemptRecord[]): Promise<string[]> {
  const params = records.flatMap((record) => [
    record.attemptId,
    record.workspaceId,
    record.subscriptionId,
    record.jobId,
    record.eventId,
    record.eventType,
    record.attempt,
    record.outcome,
    record.url,
    record.httpStatus,
    record.durationMs === null ? null : Math.round(record.durationMs),
    record.responseHeaders ? JSON.stringify(record.responseHeaders) : null,
    record.trigger ?? null,
    record.requestedBy ? JSON.stringify(record.requestedBy) : null,
    record.responseBody,
    record.responseBodyTruncated,
    record.error?.code ?? null,
    record.error?.message ?? null,
    JSON.stringify(record.requestHeaders),
    record.startedAt,
    record.finishedAt,
    record.nextAttemptAt,
  ]);
  const columns = ATTEMPT_COLUMNS.join(', ');
  const selected = ATTEMPT_COLUMNS.map((column) => (ATTEMPT_CASTS[column] ? `v.${column}::${ATTEMPT_CASTS[column]}` : `v.${column}`)).join(', ');
  const rows = (await manager.query(
    `INSERT INTO delivery_attempts (${columns})
     SELECT ${selected} FROM (VALUES ${valuesPlaceholders(records.length, ATTEMPT_COLUMNS.length)}) AS v (${columns})
     ON CONFLICT (id) DO UPDATE SET ${ATTEMPT_COLUMNS.filter((column) => column !== 'id').map((column) => `${column} = EXCLUDED.${column}`).join(', ')}
       WHERE delivery_attempts.outcome = 'sending' AND EXCLUDED.outcome <> 'sending'
     RETURNING id`,
    params,
  )) as { id: string }[];
  return rows.map((row) => row.id);
}
