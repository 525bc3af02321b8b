import { Injectable } from '@nestjs/common';
import { type AttemptRecord, type BreakerState, isFailedOutcome, type LastError } from '@harmony/contracts';
import { RESPONSE_TIME_BOUNDS_MS, responseTimeBucket } from '@harmony/subscriptions/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { jsonRows } from '../common/json-rows';

/** How an attempt counts in the rollup: sent and answered 2xx, sent and failed, or held back by an open circuit. */
export type HealthOutcome = 'success' | 'failure' | 'deferred';

/** The bucket of an attempt that sent nothing (deferred). */
const NOT_SENT = -1;
const HOUR_MS = 60 * 60 * 1000;
/** The rollup keeps 8 days: the 7-day window starts on the hour, up to one hour earlier. */
export const HEALTH_ROLLUP_KEPT_MS = 8 * 24 * HOUR_MS;

/** Counts of one webhook in two windows, per outcome and response-time bucket. */
export interface HealthCounts {
  subscriptionId: string;
  outcome: HealthOutcome;
  bucket: number;
  /** Entries since `recentFrom` (the short window). */
  recent: number;
  /** Entries since `from` (the whole window). */
  total: number;
}

export interface CurrentHealth {
  subscriptionId: string;
  breakerState: BreakerState | null;
  breakerAt: Date | null;
  lastError: LastError | null;
}

/**
 * Endpoint health beside the delivery log (decision 0113): an hourly rollup of
 * attempts per webhook (outcome × response-time bucket), and each webhook's
 * last error and breaker state, written in the transaction that logs the
 * attempts. Reads are workspace-scoped.
 */
@Injectable()
export class EndpointHealthRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Adds newly logged attempts (outcomes, not `sending` intents) to the rollup and the current state. */
  async record(manager: EntityManager, records: AttemptRecord[]): Promise<void> {
    const hours = new Map<string, { subscriptionId: string; workspaceId: string; hour: string; outcome: HealthOutcome; bucket: number; entries: number }>();
    const current = new Map<string, { workspaceId: string; breaker: BreakerState | null; breakerAt: string | null; error: LastError | null }>();
    for (const record of records) {
      const counted = countedAs(record);
      if (counted) {
        const hour = new Date(Math.floor(Date.parse(record.finishedAt) / HOUR_MS) * HOUR_MS).toISOString();
        const key = `${record.subscriptionId} ${hour} ${counted.outcome} ${counted.bucket}`;
        const row = hours.get(key) ?? { subscriptionId: record.subscriptionId, workspaceId: record.workspaceId, hour, ...counted, entries: 0 };
        row.entries += 1;
        hours.set(key, row);
      }
      const state = current.get(record.subscriptionId) ?? { workspaceId: record.workspaceId, breaker: null, breakerAt: null, error: null };
      if (record.breaker && (state.breakerAt === null || record.finishedAt >= state.breakerAt)) {
        state.breaker = record.breaker;
        state.breakerAt = record.finishedAt;
      }
      if (record.error && isFailedOutcome(record.outcome) && (state.error === null || record.finishedAt >= state.error.at)) {
        state.error = {
          attemptId: record.attemptId,
          eventId: record.eventId,
          outcome: record.outcome,
          httpStatus: record.httpStatus,
          code: record.error.code,
          message: record.error.message,
          at: record.finishedAt,
        };
      }
      current.set(record.subscriptionId, state);
    }
    // Rows in key order: two batches touching the same webhooks lock them in the same order.
    const hourRows = [...hours.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, row]) => row);
    if (hourRows.length > 0) {
      await manager.query(
        `INSERT INTO endpoint_health_hours (subscription_id, hour, outcome, response_time_bucket, workspace_id, entries)
         SELECT v.subscription_id, v.hour, v.outcome, v.bucket, v.workspace_id, v.entries
           FROM ${jsonRows({ subscription_id: 'text', hour: 'timestamptz', outcome: 'text', bucket: 'smallint', workspace_id: 'text', entries: 'integer' })}
         ON CONFLICT (subscription_id, hour, outcome, response_time_bucket) DO UPDATE SET entries = endpoint_health_hours.entries + EXCLUDED.entries`,
        [JSON.stringify(hourRows.map((row) => ({ subscription_id: row.subscriptionId, hour: row.hour, outcome: row.outcome, bucket: row.bucket, workspace_id: row.workspaceId, entries: row.entries })))],
      );
    }
    const currentRows = [...current.entries()].filter(([, state]) => state.breaker !== null || state.error !== null).sort(([a], [b]) => (a < b ? -1 : 1));
    if (currentRows.length > 0) {
      // The newer of stored and incoming wins, field by field: batches may arrive out of order.
      await manager.query(
        `INSERT INTO endpoint_health AS h (subscription_id, workspace_id, breaker_state, breaker_at, last_error, last_error_at)
         SELECT v.subscription_id, v.workspace_id, v.breaker_state, v.breaker_at, v.last_error, v.last_error_at
           FROM ${jsonRows({ subscription_id: 'text', workspace_id: 'text', breaker_state: 'text', breaker_at: 'timestamptz', last_error: 'jsonb', last_error_at: 'timestamptz' })}
         ON CONFLICT (subscription_id) DO UPDATE SET
           breaker_state = CASE WHEN EXCLUDED.breaker_at >= h.breaker_at OR h.breaker_at IS NULL THEN COALESCE(EXCLUDED.breaker_state, h.breaker_state) ELSE h.breaker_state END,
           breaker_at = GREATEST(h.breaker_at, EXCLUDED.breaker_at),
           last_error = CASE WHEN EXCLUDED.last_error_at >= h.last_error_at OR h.last_error_at IS NULL THEN COALESCE(EXCLUDED.last_error, h.last_error) ELSE h.last_error END,
           last_error_at = GREATEST(h.last_error_at, EXCLUDED.last_error_at)`,
        [
          JSON.stringify(
            currentRows.map(([subscriptionId, state]) => ({
              subscription_id: subscriptionId,
              workspace_id: state.workspaceId,
              breaker_state: state.breaker,
              breaker_at: state.breakerAt,
              last_error: state.error,
              last_error_at: state.error?.at ?? null,
            })),
          ),
        ],
      );
    }
  }

  /**
   * The rollup of some webhooks of a workspace since `from`, per outcome and
   * bucket, with the part since `recentFrom`: one index range scan per webhook.
   */
  async counts(workspaceId: string, subscriptionIds: string[], from: Date, recentFrom: Date): Promise<HealthCounts[]> {
    if (subscriptionIds.length === 0) return [];
    const rows: { subscription_id: string; outcome: HealthOutcome; response_time_bucket: number; recent: string | null; total: string }[] = await this.dataSource.query(
      `SELECT subscription_id, outcome, response_time_bucket,
              sum(entries) FILTER (WHERE hour >= $4) AS recent, sum(entries) AS total
         FROM endpoint_health_hours
        WHERE workspace_id = $1 AND subscription_id = ANY($2) AND hour >= $3
        GROUP BY subscription_id, outcome, response_time_bucket`,
      [workspaceId, subscriptionIds, from, recentFrom],
    );
    return rows.map((row) => ({
      subscriptionId: row.subscription_id,
      outcome: row.outcome,
      bucket: Number(row.response_time_bucket),
      recent: Number(row.recent ?? 0),
      total: Number(row.total),
    }));
  }

  /** Last error and breaker state of some webhooks of a workspace (absent: nothing recorded yet). */
  async current(workspaceId: string, subscriptionIds: string[]): Promise<Map<string, CurrentHealth>> {
    if (subscriptionIds.length === 0) return new Map();
    const rows: { subscription_id: string; breaker_state: BreakerState | null; breaker_at: Date | null; last_error: LastError | string | null }[] =
      await this.dataSource.query(
        'SELECT subscription_id, breaker_state, breaker_at, last_error FROM endpoint_health WHERE workspace_id = $1 AND subscription_id = ANY($2)',
        [workspaceId, subscriptionIds],
      );
    return new Map(
      rows.map((row) => [
        row.subscription_id,
        {
          subscriptionId: row.subscription_id,
          breakerState: row.breaker_state,
          breakerAt: row.breaker_at ? new Date(row.breaker_at) : null,
          lastError: typeof row.last_error === 'string' ? (JSON.parse(row.last_error) as LastError) : row.last_error,
        },
      ]),
    );
  }

  /** Retention: hours older than `cutoff`, and the state of webhooks that no longer exist. */
  async deleteBefore(cutoff: Date): Promise<void> {
    await this.dataSource.query('DELETE FROM endpoint_health_hours WHERE hour < $1', [cutoff]);
    await this.dataSource.query('DELETE FROM endpoint_health h WHERE NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.id = h.subscription_id)');
  }
}

/** How a logged attempt counts, or null when it sent nothing and was not held back by the circuit. */
function countedAs(record: Pick<AttemptRecord, 'outcome' | 'durationMs'>): { outcome: HealthOutcome; bucket: number } | null {
  if (record.outcome === 'deferred') return { outcome: 'deferred', bucket: NOT_SENT };
  if (record.outcome === 'sending' || record.durationMs === null) return null;
  return { outcome: record.outcome === 'success' ? 'success' : 'failure', bucket: responseTimeBucket(record.durationMs) };
}

/**
 * Rolls the log's attempts since `since` up into the health tables, by the
 * same rules as `record` (test sends excluded: they do not move health). Used
 * once by the migration (and by the bench, whose log is filled by SQL).
 */
export async function rollUpDeliveryLog(runner: { query(sql: string, params?: unknown[]): Promise<unknown> }, since: Date): Promise<void> {
  await runner.query(
    `INSERT INTO endpoint_health_hours (subscription_id, hour, outcome, response_time_bucket, workspace_id, entries)
     SELECT subscription_id, date_bin('1 hour', finished_at, TIMESTAMPTZ '2000-01-01 00:00:00+00'), counted,
            CASE WHEN counted = 'deferred' THEN ${NOT_SENT} ELSE width_bucket(duration_ms, $2::integer[]) END, min(workspace_id), count(*)
       FROM (SELECT subscription_id, workspace_id, finished_at, duration_ms,
                    CASE WHEN outcome = 'deferred' THEN 'deferred' WHEN outcome = 'success' THEN 'success' ELSE 'failure' END AS counted
               FROM delivery_attempts
              WHERE finished_at >= $1 AND trigger IS DISTINCT FROM 'test'
                AND (outcome = 'deferred' OR (outcome <> 'sending' AND duration_ms IS NOT NULL))) AS a
      GROUP BY 1, 2, 3, 4
     ON CONFLICT (subscription_id, hour, outcome, response_time_bucket) DO UPDATE SET entries = endpoint_health_hours.entries + EXCLUDED.entries`,
    [since, RESPONSE_TIME_BOUNDS_MS],
  );
  await runner.query(
    `INSERT INTO endpoint_health (subscription_id, workspace_id, last_error, last_error_at)
     SELECT DISTINCT ON (subscription_id) subscription_id, workspace_id,
            jsonb_build_object('attemptId', id, 'eventId', event_id, 'outcome', outcome, 'httpStatus', http_status, 'code', error_code,
                               'message', COALESCE(error_message, ''), 'at', to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
            finished_at
       FROM delivery_attempts
      WHERE outcome IN ('failure', 'exhausted', 'dropped') AND error_code IS NOT NULL AND trigger IS DISTINCT FROM 'test'
      ORDER BY subscription_id, finished_at DESC, id DESC
     ON CONFLICT (subscription_id) DO NOTHING`,
  );
}
