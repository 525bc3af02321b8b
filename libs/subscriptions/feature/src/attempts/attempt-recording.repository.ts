import { Injectable } from '@nestjs/common';
import type { AttemptRecord, EventEnvelope } from '@harmony/contracts';
import { DataSource, type EntityManager, In } from 'typeorm';
import { jsonRows } from '../common/json-rows';
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
   * Upserts attempts (distinct ids) in one statement: a new id is inserted, an
   * outcome replaces its attempt's `sending` intent, anything else (a replayed
   * record) changes nothing. Answers the ids written.
   */
  async upsert(manager: EntityManager, records: AttemptRecord[]): Promise<Set<string>> {
    if (records.length === 0) return new Set();
    const rows = (await manager.query(UPSERT_ATTEMPTS, [JSON.stringify(records.map(attemptRow))])) as { id: string }[];
    return new Set(rows.map((row) => row.id));
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
          SET failing_since = v.failing_since, last_attempt_at = v.last_attempt_at
         FROM ${jsonRows({ id: 'text', failing_since: 'timestamptz', last_attempt_at: 'timestamptz' })}
        WHERE s.id = v.id`,
      [JSON.stringify(rows.map(([id, health]) => ({ id, failing_since: health.failingSince, last_attempt_at: health.lastAttemptAt })))],
    );
  }

  async disable(manager: EntityManager, id: string, reason: string, at: Date): Promise<void> {
    await manager.update(SubscriptionEntity, { id }, { enabled: false, disabledReason: reason, disabledAt: at });
  }
}

/** The log's columns as attempt records fill them, with their types. */
const ATTEMPT_COLUMNS = {
  id: 'text',
  workspace_id: 'text',
  subscription_id: 'text',
  job_id: 'text',
  event_id: 'text',
  event_type: 'text',
  attempt: 'integer',
  outcome: 'text',
  url: 'text',
  http_status: 'integer',
  duration_ms: 'integer',
  response_headers: 'jsonb',
  trigger: 'text',
  requested_by: 'jsonb',
  response_body: 'text',
  response_body_truncated: 'boolean',
  error_code: 'text',
  error_message: 'text',
  request_headers: 'jsonb',
  started_at: 'timestamptz',
  finished_at: 'timestamptz',
  next_attempt_at: 'timestamptz',
} as const;

const COLUMN_LIST = Object.keys(ATTEMPT_COLUMNS).join(', ');
const UPSERT_ATTEMPTS = `INSERT INTO delivery_attempts (${COLUMN_LIST})
     SELECT ${COLUMN_LIST} FROM ${jsonRows(ATTEMPT_COLUMNS)}
     ON CONFLICT (id) DO UPDATE SET ${Object.keys(ATTEMPT_COLUMNS)
       .filter((column) => column !== 'id')
       .map((column) => `${column} = EXCLUDED.${column}`)
       .join(', ')}
       WHERE delivery_attempts.outcome = 'sending' AND EXCLUDED.outcome <> 'sending'
     RETURNING id`;

function attemptRow(record: AttemptRecord): Record<keyof typeof ATTEMPT_COLUMNS, unknown> {
  return {
    id: record.attemptId,
    workspace_id: record.workspaceId,
    subscription_id: record.subscriptionId,
    job_id: record.jobId,
    event_id: record.eventId,
    event_type: record.eventType,
    attempt: record.attempt,
    outcome: record.outcome,
    url: record.url,
    http_status: record.httpStatus,
    duration_ms: record.durationMs === null ? null : Math.round(record.durationMs),
    response_headers: record.responseHeaders ?? null,
    trigger: record.trigger ?? null,
    requested_by: record.requestedBy ?? null,
    response_body: record.responseBody,
    response_body_truncated: record.responseBodyTruncated,
    error_code: record.error?.code ?? null,
    error_message: record.error?.message ?? null,
    request_headers: record.requestHeaders,
    started_at: record.startedAt,
    finished_at: record.finishedAt,
    next_attempt_at: record.nextAttemptAt,
  };
}
