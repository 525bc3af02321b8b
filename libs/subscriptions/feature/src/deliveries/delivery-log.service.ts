import { Inject, Injectable } from '@nestjs/common';
import {
  ATTEMPT_OUTCOMES,
  type AttemptRecord,
  buildDeliveryRequestBody,
  deliveryJob,
  EVENT_ID_PATTERN,
  type RequestedBy,
  type EventEnvelope,
  isKnownEventType,
  TOPICS,
  withCatalogFloor,
} from '@harmony/contracts';
import { ownerMaySee } from '@harmony/webhooks/domain';
import { LOGGER, type Logger, MetricsService } from '@harmony/platform-observability';
import { type Actor, type DeliveryCursor, decodeCursor, encodeCursor, type FieldError, isAdmin, observeAttempt } from '@harmony/subscriptions/domain';
import { DataSource, type EntityManager, In } from 'typeorm';
import { optionalString, optionalTime, pageLimit } from '../common/query-params';
import { assertValid, Conflict, Forbidden, NotFound } from '../common/service-errors';
import { DeliveryAttemptEntity, EventPayloadEntity, MemberEntity, parseEnvelope, SubscriptionEntity } from '../entities';
import { enqueueOutbox } from '../outbox/outbox.writer';
import { publishSubscription, toSubscriptionOwner } from '../webhooks/subscription-record.builder';
import type { LastDelivery } from '../webhooks/webhook.view';
import { WebhooksService } from '../webhooks/webhooks.service';

/** Recover re-queues at most this many events per call; the answer says if there were more. */
export const MAX_RECOVER = 10_000;

export interface DeliveryQuery {
  eventId?: unknown;
  outcome?: unknown;
  eventType?: unknown;
  from?: unknown;
  to?: unknown;
  cursor?: unknown;
  limit?: unknown;
}

export interface DeliveryView {
  /** The exact JSON body sent (signed), when the event's payload is still kept and the caller may see the event. */
  requestBody?: string | null;
  /** Why `requestBody` is null although the payload is kept: the caller may not see this event (any more). */
  requestBodyWithheld?: string | null;
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  outcome: string;
  url: string;
  httpStatus: number | null;
  durationMs: number | null;
  /** `event`: sent by the pipeline; `test`: the Test button; `manual`: a redelivery or recovery someone asked for (`requestedBy`). */
  trigger: 'event' | 'test' | 'manual';
  requestedBy: RequestedBy | null;
  /** The receiver's response headers (bounded); null without a response, or on rows logged before they were kept. */
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
  responseBodyTruncated: boolean;
  error: { code: string; message: string } | null;
  requestHeaders: Record<string, string>;
  startedAt: string;
  finishedAt: string;
  nextAttemptAt: string | null;
}

/** The delivery log: written from `webhooks.attempts`, read by the API, replayed by redeliver/recover. */
@Injectable()
export class DeliveryLogService {
  private readonly logged;
  private readonly disabledByHealth;

  constructor(
    private readonly dataSource: DataSource,
    private readonly webhooks: WebhooksService,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: MetricsService,
  ) {
    this.logged = metrics.counter({
      name: 'subscription_delivery_log_rows_total',
      help: 'Attempts written to the delivery log (replayed records not counted).',
      labelNames: ['outcome'],
    });
    this.disabledByHealth = metrics.counter({
      name: 'webhook_endpoints_auto_disabled_total',
      help: 'Webhooks disabled by endpoint health: gone (410) or failing (5 days of failures).',
      labelNames: ['reason'],
    });
  }

  async list(actor: Actor, subscriptionId: string, query: DeliveryQuery): Promise<DeliveryPage> {
    await this.webhooks.get(actor, subscriptionId);
    const errors: FieldError[] = [];
    const eventId = optionalEventId(query.eventId, 'eventId', errors);
    const outcome = optionalString(query.outcome);
    if (outcome !== undefined && !(ATTEMPT_OUTCOMES as readonly string[]).includes(outcome)) {
      errors.push({ field: 'outcome', reason: `must be one of ${ATTEMPT_OUTCOMES.join(', ')}` });
    }
    const eventType = optionalString(query.eventType);
    if (eventType !== undefined && !isKnownEventType(eventType)) errors.push({ field: 'eventType', reason: `unknown event type '${eventType}'` });
    const from = optionalTime(query.from, 'from', errors);
    const to = optionalTime(query.to, 'to', errors);
    const cursor = optionalCursor(query.cursor, errors);
    const limit = pageLimit(query.limit, errors);
    assertValid(errors);
    return this.page(actor, await findDeliveryPage(this.dataSource, { subscriptionId }, { eventId, outcome, eventType, from, to, cursor, limit }), limit);
  }

  /**
   * Every attempt of one event across the workspace's webhooks, newest first: an
   * admin's key sees all of them, a member's key those to its own webhooks.
   */
  async listForEvent(actor: Actor, eventId: string, query: Pick<DeliveryQuery, 'cursor' | 'limit'>): Promise<DeliveryPage> {
    const errors: FieldError[] = [];
    optionalEventId(eventId, 'id', errors);
    const cursor = optionalCursor(query.cursor, errors);
    const limit = pageLimit(query.limit, errors);
    assertValid(errors);
    const scope = { workspaceId: actor.workspaceId, eventId, ownerMemberId: isAdmin(actor.role) ? undefined : actor.memberId };
    return this.page(actor, await findDeliveryPage(this.dataSource, scope, { cursor, limit }), limit);
  }

  /** One attempt of a webhook's log, with everything it stored. */
  async get(actor: Actor, subscriptionId: string, attemptId: string): Promise<DeliveryView> {
    await this.webhooks.get(actor, subscriptionId);
    const row = await this.dataSource.getRepository(DeliveryAttemptEntity).findOneBy({ id: attemptId, subscriptionId });
    if (!row) throw new NotFound(`no delivery ${attemptId} for webhook ${subscriptionId}`);
    const [view] = await this.withBodies(actor, [row]);
    if (!view) throw new NotFound(`no delivery ${attemptId} for webhook ${subscriptionId}`);
    return view;
  }

  private async page(actor: Actor, rows: DeliveryAttemptEntity[], limit: number): Promise<DeliveryPage> {
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: await this.withBodies(actor, page),
      nextCursor: rows.length > limit && last ? encodeCursor({ finishedAt: last.finishedAt.toISOString(), id: last.id }) : null,
    };
  }

  private async withBodies(actor: Actor, rows: DeliveryAttemptEntity[]): Promise<DeliveryView[]> {
    const bodies = await this.requestBodies(actor, [...new Set(rows.map((row) => row.eventId))]);
    return rows.map((row) => {
      const body = bodies.get(row.eventId);
      return { ...toDeliveryView(row), requestBody: body?.body ?? null, requestBodyWithheld: body?.withheld ?? null };
    });
  }

  /** The newest delivery log entry of each webhook (one query, for the list). */
  async lastDeliveries(subscriptionIds: string[]): Promise<Map<string, LastDelivery>> {
    if (subscriptionIds.length === 0) return new Map();
    const placeholders = subscriptionIds.map((_, index) => `$${index + 1}`).join(', ');
    const rows: { subscription_id: string; outcome: string; http_status: number | null; error_code: string | null; finished_at: Date }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (subscription_id) subscription_id, outcome, http_status, error_code, finished_at
         FROM delivery_attempts WHERE subscription_id IN (${placeholders})
        ORDER BY subscription_id, finished_at DESC, id DESC`,
      subscriptionIds,
    );
    return new Map(
      rows.map((row) => [
        row.subscription_id,
        { outcome: row.outcome, httpStatus: row.http_status, errorCode: row.error_code, finishedAt: new Date(row.finished_at).toISOString() },
      ]),
    );
  }

  /**
   * The body each event was sent with, rebuilt from its stored envelope exactly as the
   * delivery-worker builds it (absent once the payload is past retention). The log keeps
   * its rows, but shows a caller only the payloads of events the caller may see now
   * (the same rule as delivery): otherwise the body is withheld and the reason given.
   */
  private async requestBodies(actor: Actor, eventIds: string[]): Promise<Map<string, { body: string | null; withheld: string | null }>> {
    if (eventIds.length === 0) return new Map();
    const payloads = await this.dataSource.getRepository(EventPayloadEntity).findBy({ eventId: In(eventIds) });
    if (payloads.length === 0) return new Map();
    const viewer = toSubscriptionOwner(await this.dataSource.getRepository(MemberEntity).findOneByOrFail({ id: actor.memberId }));
    return new Map(
      payloads.map((payload) => {
        const event = parseEnvelope(payload);
        return [
          payload.eventId,
          ownerMaySee(viewer, event)
            ? { body: JSON.stringify(buildDeliveryRequestBody(event)), withheld: null }
            : { body: null, withheld: `withheld: your access does not include this ${event.type} event (${describeAccess(event)})` },
        ];
      }),
    );
  }

  /** Sends one logged event to the webhook again, as a new delivery (attempt 1, original bytes). */
  async redeliver(actor: Actor, subscriptionId: string, deliveryId: string): Promise<{ jobId: string; eventId: string }> {
    return this.webhooks.inTransaction(async (manager) => {
      const subscription = await this.webhooks.load(manager, actor, subscriptionId, false);
      const attempt = await manager.findOneBy(DeliveryAttemptEntity, { id: deliveryId, subscriptionId });
      if (!attempt) throw new NotFound(`no delivery ${deliveryId} for webhook ${subscriptionId}`);
      assertEnabled(subscription);
      const payload = await manager.findOneBy(EventPayloadEntity, { eventId: attempt.eventId });
      if (!payload) throw new Conflict(`the payload of event ${attempt.eventId} is no longer kept (retention)`);
      const event = parseEnvelope(payload);
      // The rule of fan-out and retries: the owner's current access decides, whoever asks.
      if (!ownerMaySee(await ownerOf(manager, subscription), event)) {
        throw new Forbidden(`the webhook's owner may no longer see this ${event.type} event (${describeAccess(event)}): it is not sent again`);
      }
      const jobId = await queueRecovery(manager, subscription, event, requestedByOf(actor));
      return { jobId, eventId: attempt.eventId };
    });
  }

  /**
   * Re-queues every event whose delivery to this webhook failed (never succeeded) since a
   * time, except events its owner may no longer see (counted, with the reason).
   */
  async recover(actor: Actor, subscriptionId: string, body: { since?: unknown }): Promise<RecoverResult> {
    const errors: FieldError[] = [];
    const since = optionalTime(body?.since, 'since', errors);
    if (!since && errors.length === 0) errors.push({ field: 'since', reason: 'is required (ISO 8601 time)' });
    assertValid(errors);
    return this.webhooks.inTransaction(async (manager) => {
      const subscription = await this.webhooks.load(manager, actor, subscriptionId, false);
      assertEnabled(subscription);
      const rows: { envelope: string }[] = await manager.query(
        `SELECT p.envelope FROM event_payloads p
          WHERE p.event_id IN (
            SELECT a.event_id FROM delivery_attempts a
             WHERE a.subscription_id = $1 AND a.finished_at >= $2 AND a.trigger IS DISTINCT FROM 'test'
             GROUP BY a.event_id
            HAVING bool_and(a.outcome <> 'success') AND bool_or(a.outcome IN ('failure', 'exhausted', 'dropped')))
          ORDER BY p.received_at LIMIT $3`,
        [subscriptionId, since, MAX_RECOVER + 1],
      );
      const envelopes = rows.slice(0, MAX_RECOVER).map((row) => JSON.parse(row.envelope) as EventEnvelope);
      const owner = await ownerOf(manager, subscription);
      const permitted = envelopes.filter((envelope) => ownerMaySee(owner, envelope));
      for (const envelope of permitted) await queueRecovery(manager, subscription, envelope, requestedByOf(actor));
      const skipped = envelopes.length - permitted.length;
      return {
        queued: permitted.length,
        truncated: rows.length > MAX_RECOVER,
        skippedForPermission: skipped,
        ...(skipped > 0 ? { skippedReason: "events the webhook's owner may no longer see are not sent again" } : {}),
      };
    });
  }

  /**
   * Writes attempts to the log (idempotent on attemptId; an outcome replaces
   * the `sending` intent of the same attempt) and updates each endpoint's
   * health, in one transaction per batch: one multi-row upsert, one locking
   * read of the subscriptions concerned, one update of their health. A webhook
   * that must be disabled is, with its snapshot republished.
   */
  async recordAttempts(records: AttemptRecord[]): Promise<void> {
    if (records.length === 0) return;
    // One row per attempt id: an intent and its outcome in the same batch write the outcome only.
    const latest = new Map<string, AttemptRecord>();
    for (const record of records) {
      const seen = latest.get(record.attemptId);
      if (!seen || (seen.outcome === 'sending' && record.outcome !== 'sending')) latest.set(record.attemptId, record);
    }
    const rows = [...latest.values()];
    let disabled = false;
    await this.dataSource.transaction(async (manager) => {
      const written = new Set<string>();
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        for (const id of await upsertAttempts(manager, rows.slice(i, i + ROWS_PER_INSERT))) written.add(id);
      }
      // A redelivered record (consumer restart) changes nothing: health moves once per attempt.
      const fresh = rows.filter((record) => written.has(record.attemptId));
      for (const record of fresh) this.logged.inc({ outcome: record.outcome });
      disabled = await this.observe(
        manager,
        fresh.filter((record) => record.outcome !== 'sending'),
      );
    });
    if (disabled) this.webhooks.kickOutbox();
  }

  /**
   * Stores events' envelopes, each once, when a subscription of its workspace
   * may want it: one statement for the batch.
   */
  async storePayloads(events: { envelope: EventEnvelope; raw: string }[]): Promise<void> {
    for (let i = 0; i < events.length; i += ROWS_PER_INSERT) {
      const chunk = events.slice(i, i + ROWS_PER_INSERT);
      const params = chunk.flatMap(({ envelope, raw }) => [envelope.id, envelope.workspaceId, envelope.type, raw]);
      await this.dataSource.query(
        `INSERT INTO event_payloads (event_id, workspace_id, event_type, envelope)
         SELECT v.event_id, v.workspace_id, v.event_type, v.envelope
           FROM (VALUES ${rowsOf(chunk.length, 4)}) AS v (event_id, workspace_id, event_type, envelope)
          WHERE EXISTS (SELECT 1 FROM subscriptions s WHERE s.workspace_id = v.workspace_id
                          AND (s.all_events OR s.event_types @> jsonb_build_array(v.event_type)))
         ON CONFLICT (event_id) DO NOTHING`,
        params,
      );
    }
  }

  /** Applies new attempts to their endpoints' health, each endpoint's in log order; true when one was disabled. */
  private async observe(manager: EntityManager, records: AttemptRecord[]): Promise<boolean> {
    if (records.length === 0) return false;
    const ids = [...new Set(records.map((record) => record.subscriptionId))].sort();
    // Locks are taken in id order, so two concurrent batches never deadlock on PostgreSQL.
    const subscriptions = await manager.find(SubscriptionEntity, { where: { id: In(ids) }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
    const byId = new Map(subscriptions.map((subscription) => [subscription.id, subscription]));
    const changed = new Map<string, { failingSince: Date | null; lastAttemptAt: Date | null }>();
    const toDisable: { subscription: SubscriptionEntity; reason: string; record: AttemptRecord }[] = [];
    for (const record of records) {
      const subscription = byId.get(record.subscriptionId);
      if (!subscription) continue;
      const decision = observeAttempt(
        { failingSince: subscription.failingSince },
        { outcome: record.outcome, httpStatus: record.httpStatus, startedAt: new Date(record.startedAt), finishedAt: new Date(record.finishedAt) },
      );
      const finishedAt = new Date(record.finishedAt);
      subscription.failingSince = decision.failingSince;
      subscription.lastAttemptAt = subscription.lastAttemptAt && subscription.lastAttemptAt > finishedAt ? subscription.lastAttemptAt : finishedAt;
      changed.set(subscription.id, { failingSince: subscription.failingSince, lastAttemptAt: subscription.lastAttemptAt });
      if (decision.disable !== null && subscription.enabled) {
        subscription.enabled = false;
        toDisable.push({ subscription, reason: decision.disable, record });
      }
    }
    if (changed.size > 0) {
      const rows = [...changed];
      await manager.query(
        `UPDATE subscriptions s
            SET failing_since = v.failing_since::timestamptz, last_attempt_at = v.last_attempt_at::timestamptz
           FROM (VALUES ${rowsOf(rows.length, 3)}) AS v (id, failing_since, last_attempt_at)
          WHERE s.id = v.id`,
        rows.flatMap(([id, health]) => [id, health.failingSince?.toISOString() ?? null, health.lastAttemptAt?.toISOString() ?? null]),
      );
    }
    for (const { subscription, reason, record } of toDisable) {
      await manager.update(SubscriptionEntity, { id: subscription.id }, { enabled: false, disabledReason: reason, disabledAt: new Date() });
      await publishSubscription(manager, subscription.id);
      this.disabledByHealth.inc({ reason: record.httpStatus === 410 ? 'gone' : 'failing' });
      this.logger.warn({ subscriptionId: subscription.id, reason }, 'webhook disabled by endpoint health');
    }
    return toDisable.length > 0;
  }
}

/** Rows per multi-row statement: 22 columns × 500 stays far below PostgreSQL's 65,535 parameters. */
const ROWS_PER_INSERT = 500;

/** `($1, $2), ($3, $4), …`: placeholders of `rows` rows of `columns` values. */
function rowsOf(rows: number, columns: number): string {
  return Array.from({ length: rows }, (_, row) => `(${Array.from({ length: columns }, (_, column) => `$${row * columns + column + 1}`).join(', ')})`).join(', ');
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

/**
 * One multi-row upsert of attempts (distinct ids): a new id is inserted, an
 * outcome replaces its attempt's `sending` intent, anything else (a replayed
 * record) changes nothing. Answers the ids written.
 */
async function upsertAttempts(manager: EntityManager, records: AttemptRecord[]): Promise<string[]> {
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
     SELECT ${selected} FROM (VALUES ${rowsOf(records.length, ATTEMPT_COLUMNS.length)}) AS v (${columns})
     ON CONFLICT (id) DO UPDATE SET ${ATTEMPT_COLUMNS.filter((column) => column !== 'id').map((column) => `${column} = EXCLUDED.${column}`).join(', ')}
       WHERE delivery_attempts.outcome = 'sending' AND EXCLUDED.outcome <> 'sending'
     RETURNING id`,
    params,
  )) as { id: string }[];
  return rows.map((row) => row.id);
}

export interface RecoverResult {
  queued: number;
  truncated: boolean;
  /** Failed events left out because the webhook's owner may no longer see them. */
  skippedForPermission: number;
  skippedReason?: string;
}

export interface DeliveryPage {
  data: DeliveryView[];
  nextCursor: string | null;
}

export interface DeliveryFilters {
  eventId?: string;
  outcome?: string;
  eventType?: string;
  from?: Date;
  to?: Date;
  cursor: DeliveryCursor | null;
  limit: number;
}

/** Whose log a page reads: one webhook's, or one event's across a workspace (optionally only one member's webhooks). */
export type DeliveryScope = { subscriptionId: string } | { workspaceId: string; eventId: string; ownerMemberId?: string };

/**
 * One newest-first keyset page (plus one row, to know whether there is a
 * next page). Served by the (subscription_id[, outcome | event_type],
 * finished_at DESC, id DESC) indexes, or (workspace_id, event_id, finished_at
 * DESC, id DESC) for an event; the row comparison keeps it a range scan at any
 * depth (bench/delivery-log.bench.ts).
 */
export function findDeliveryPage(dataSource: DataSource, scope: DeliveryScope, filters: DeliveryFilters): Promise<DeliveryAttemptEntity[]> {
  const builder = dataSource.getRepository(DeliveryAttemptEntity).createQueryBuilder('a');
  if ('subscriptionId' in scope) {
    builder.where('a.subscription_id = :subscriptionId', { subscriptionId: scope.subscriptionId });
  } else {
    builder.where('a.workspace_id = :workspaceId AND a.event_id = :scopeEventId', { workspaceId: scope.workspaceId, scopeEventId: scope.eventId });
    if (scope.ownerMemberId) {
      builder.andWhere('a.subscription_id IN (SELECT s.id FROM subscriptions s WHERE s.workspace_id = :workspaceId AND s.owner_member_id = :ownerMemberId)', {
        ownerMemberId: scope.ownerMemberId,
      });
    }
  }
  if (filters.eventId) builder.andWhere('a.event_id = :eventId', { eventId: filters.eventId });
  if (filters.outcome) builder.andWhere('a.outcome = :outcome', { outcome: filters.outcome });
  if (filters.eventType) builder.andWhere('a.event_type = :eventType', { eventType: filters.eventType });
  if (filters.from) builder.andWhere('a.finished_at >= :from', { from: filters.from });
  if (filters.to) builder.andWhere('a.finished_at < :to', { to: filters.to });
  if (filters.cursor) {
    builder.andWhere('(a.finished_at, a.id) < (:cursorTime, :cursorId)', {
      cursorTime: new Date(filters.cursor.finishedAt),
      cursorId: filters.cursor.id,
    });
  }
  return builder.orderBy('a.finished_at', 'DESC').addOrderBy('a.id', 'DESC').limit(filters.limit + 1).getMany();
}

/** Who asked, for the marks on a manual send's attempts. */
export function requestedByOf(actor: Actor): RequestedBy {
  return { apiKeyId: actor.apiKey?.id ?? 'unknown', apiKeyName: actor.apiKey?.name ?? 'unknown', memberId: actor.memberId };
}

async function queueRecovery(manager: EntityManager, subscription: SubscriptionEntity, event: EventEnvelope, requestedBy: RequestedBy): Promise<string> {
  const job = deliveryJob({ subscription, event, reason: 'recovery', requestedBy });
  await enqueueOutbox(manager, TOPICS.deliveries, subscription.id, job);
  return job.jobId;
}

async function ownerOf(manager: EntityManager, subscription: SubscriptionEntity) {
  return toSubscriptionOwner(await manager.findOneByOrFail(MemberEntity, { id: subscription.ownerMemberId }));
}

/** Who may see an event, in words (after the catalog floor). */
function describeAccess(event: Pick<EventEnvelope, 'type' | 'access'>): string {
  const access = withCatalogFloor(event.type, event.access);
  if (access.scope === 'admin') return 'admins only';
  if (access.scope === 'restricted') return 'admins and the users and teams it is shared with';
  return 'every active member';
}

function assertEnabled(subscription: SubscriptionEntity): void {
  if (!subscription.enabled) throw new Conflict('the webhook is disabled: enable it first (POST /v1/webhooks/{id}/enable)');
}

export function toDeliveryView(row: DeliveryAttemptEntity): DeliveryView {
  return {
    id: row.id,
    webhookId: row.subscriptionId,
    eventId: row.eventId,
    eventType: row.eventType,
    attempt: row.attempt,
    outcome: row.outcome,
    url: row.url,
    httpStatus: row.httpStatus,
    durationMs: row.durationMs,
    responseHeaders: row.responseHeaders,
    trigger: row.trigger ?? 'event',
    requestedBy: row.requestedBy,
    responseBody: row.responseBody,
    responseBodyTruncated: row.responseBodyTruncated,
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? '' } : null,
    requestHeaders: row.requestHeaders,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt.toISOString(),
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
  };
}

const EVENT_ID = new RegExp(EVENT_ID_PATTERN);

function optionalEventId(value: unknown, field: string, errors: FieldError[]): string | undefined {
  const text = optionalString(value);
  if (text !== undefined && !EVENT_ID.test(text)) errors.push({ field, reason: 'must be an event id (evt_ + ULID, or a UUID)' });
  return text;
}

function optionalCursor(value: unknown, errors: FieldError[]): DeliveryCursor | null {
  const text = optionalString(value);
  const cursor = text === undefined ? null : decodeCursor(text);
  if (text !== undefined && !cursor) errors.push({ field: 'cursor', reason: 'is not a cursor this API returned' });
  return cursor;
}
