import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@harmony/platform-config';
import { generateSigningSecret } from '@harmony/webhooks/domain';
import {
  type Actor,
  checkDescription,
  checkEventTypes,
  checkHeaders,
  checkName,
  checkRateLimit,
  checkUrlPresent,
  containsPattern,
  decodeWebhookCursor,
  encodeWebhookCursor,
  type FieldError,
  isActiveMember,
  type WebhookCursor,
  isAdmin,
  mergeHeaderWrite,
  normalizeName,
  webhookAccess,
} from '@harmony/subscriptions/domain';
import { DataSource, type EntityManager, In, QueryFailedError } from 'typeorm';
import { isKnownEventType, newId } from '@harmony/contracts';
import { optionalString, pageLimit } from '../common/query-params';
import { assertValid, Forbidden, NotFound, ValidationFailed } from '../common/service-errors';
import { Transactions } from '../common/transactions';
import { MemberEntity, SigningSecretEntity, SubscriptionEntity } from '../entities';
import { publishSubscription, validSecrets } from './subscription-record.builder';
import { toWebhookView, type WebhookOwner, type WebhookView } from './webhook.view';
import { WEBHOOK_TARGET_CHECK, type WebhookTargetCheck } from './webhook-target.check';

export const SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;

export interface SecretView {
  id: string;
  secret: string;
  createdAt: string;
  expiresAt: string | null;
}

/** Query of the webhook list (REST query string or gRPC request). */
export interface WebhookQuery {
  search?: unknown;
  enabled?: unknown;
  eventType?: unknown;
  cursor?: unknown;
  limit?: unknown;
}

const CREATE_FIELDS = new Set(['name', 'description', 'url', 'events', 'enabled', 'rateLimitPerSecond', 'headers']);
const PATCH_FIELDS = new Set([...CREATE_FIELDS, 'ownerMemberId']);

/** The webhook use cases. Every change commits together with its outbox snapshot, or not at all. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transactions: Transactions,
    @Inject(WEBHOOK_TARGET_CHECK) private readonly targets: WebhookTargetCheck,
  ) {}

  async create(actor: Actor, body: Record<string, unknown>): Promise<{ subscription: SubscriptionEntity; secret: SecretView }> {
    assertValid([...unknownFields(body, CREATE_FIELDS), ...(await this.checkFields(body, true))]);
    const headers = headersToStore({}, body['headers']);
    const result = await this.write(async (manager) => {
      const now = new Date();
      const events = body['events'] as '*' | string[];
      const name = (body['name'] as string).trim();
      await this.assertNameFree(manager, actor.workspaceId, name, null);
      const subscription = manager.create(SubscriptionEntity, {
        id: newId('subscription'),
        workspaceId: actor.workspaceId,
        ownerMemberId: actor.memberId,
        name,
        nameKey: normalizeName(name),
        description: (body['description'] as string | null | undefined)?.trim() || null,
        url: body['url'] as string,
        allEvents: events === '*',
        eventTypes: events === '*' ? [] : events,
        enabled: body['enabled'] === undefined ? true : Boolean(body['enabled']),
        disabledReason: body['enabled'] === false ? 'Disabled by a user.' : null,
        disabledAt: body['enabled'] === false ? now : null,
        rateLimitPerSecond: (body['rateLimitPerSecond'] as number | null | undefined) ?? null,
        headers,
        version: 0,
        failingSince: null,
        lastAttemptAt: null,
        createdAt: now,
        updatedAt: now,
      });
      await manager.insert(SubscriptionEntity, subscription);
      const secret = manager.create(SigningSecretEntity, {
        id: newId('secret'),
        subscriptionId: subscription.id,
        secret: generateSigningSecret(),
        createdAt: now,
        expiresAt: null,
      });
      await manager.insert(SigningSecretEntity, secret);
      await publishSubscription(manager, subscription.id);
      return { subscription: await manager.findOneByOrFail(SubscriptionEntity, { id: subscription.id }), secret: toSecretView(secret) };
    });
    return result;
  }

  /**
   * One oldest-first keyset page of the webhooks the actor may see (admins: the
   * workspace's; members: their own), filtered by name/URL substring, enabled and
   * event type. Served by the (workspace_id[, owner_member_id], created_at, id) indexes.
   */
  async list(actor: Actor, query: WebhookQuery = {}): Promise<{ data: SubscriptionEntity[]; nextCursor: string | null }> {
    const errors: FieldError[] = [];
    const search = optionalString(query.search);
    if (search !== undefined && search.length > 200) errors.push({ field: 'search', reason: 'must be at most 200 characters' });
    const enabledText = optionalString(query.enabled);
    if (enabledText !== undefined && enabledText !== 'true' && enabledText !== 'false') errors.push({ field: 'enabled', reason: 'must be true or false' });
    const eventType = optionalString(query.eventType);
    if (eventType !== undefined && !isKnownEventType(eventType)) errors.push({ field: 'eventType', reason: `unknown event type '${eventType}'` });
    const cursorText = optionalString(query.cursor);
    const cursor = cursorText === undefined ? null : decodeWebhookCursor(cursorText);
    if (cursorText !== undefined && !cursor) errors.push({ field: 'cursor', reason: 'is not a cursor this API returned' });
    const limit = pageLimit(query.limit, errors);
    assertValid(errors);

    const scope = { workspaceId: actor.workspaceId, ownerMemberId: isAdmin(actor.role) ? undefined : actor.memberId };
    const rows = await findWebhookPage(this.dataSource, scope, {
      search,
      enabled: enabledText === undefined ? undefined : enabledText === 'true',
      eventType,
      cursor,
      limit,
    });
    const data = rows.slice(0, limit);
    const last = data[data.length - 1];
    return { data, nextCursor: rows.length > limit && last ? encodeWebhookCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null };
  }

  get(actor: Actor, id: string): Promise<SubscriptionEntity> {
    return this.load(this.dataSource.manager, actor, id, false);
  }

  async update(actor: Actor, id: string, body: Record<string, unknown>): Promise<SubscriptionEntity> {
    assertValid([...unknownFields(body, PATCH_FIELDS), ...(await this.checkFields(body, false))]);
    if (body['ownerMemberId'] !== undefined && !isAdmin(actor.role)) {
      throw new Forbidden('only admins can hand a webhook to another member');
    }
    return this.write(async (manager) => {
      const subscription = await this.load(manager, actor, id, true);
      const now = new Date();
      if (body['name'] !== undefined) {
        const name = (body['name'] as string).trim();
        await this.assertNameFree(manager, actor.workspaceId, name, id);
        subscription.name = name;
        subscription.nameKey = normalizeName(name);
      }
      if (body['description'] !== undefined) subscription.description = (body['description'] as string | null)?.trim() || null;
      if (body['url'] !== undefined && body['url'] !== subscription.url) {
        subscription.url = body['url'] as string;
        // Another endpoint: the old one's failure run says nothing about it.
        subscription.failingSince = null;
      }
      if (body['events'] !== undefined) {
        const events = body['events'] as '*' | string[];
        subscription.allEvents = events === '*';
        subscription.eventTypes = events === '*' ? [] : events;
      }
      if (body['rateLimitPerSecond'] !== undefined) subscription.rateLimitPerSecond = body['rateLimitPerSecond'] as number | null;
      if (body['headers'] !== undefined) subscription.headers = headersToStore(subscription.headers, body['headers']);
      if (body['enabled'] !== undefined && body['enabled'] !== subscription.enabled) {
        this.setEnabled(subscription, body['enabled'] as boolean, 'Disabled by a user.', now);
        // Re-enabled: a new start for endpoint health, or the next failure would disable it again at once.
        if (subscription.enabled) subscription.failingSince = null;
      }
      if (body['ownerMemberId'] !== undefined) {
        const owner = await manager.findOneBy(MemberEntity, { id: body['ownerMemberId'] as string, workspaceId: actor.workspaceId });
        if (!owner) throw new ValidationFailed([{ field: 'ownerMemberId', reason: 'no such member in this workspace' }]);
        if (!isActiveMember(owner.status)) throw new ValidationFailed([{ field: 'ownerMemberId', reason: `member is ${owner.status}` }]);
        subscription.ownerMemberId = owner.id;
      }
      await manager.save(SubscriptionEntity, subscription);
      await publishSubscription(manager, id);
      return manager.findOneByOrFail(SubscriptionEntity, { id });
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.write(async (manager) => {
      await this.load(manager, actor, id, true);
      await manager.delete(SubscriptionEntity, { id });
      // The tombstone: fan-out and the worker forget the subscription; compaction drops it.
      await publishSubscription(manager, id);
    });
  }

  /** Re-enables a disabled webhook (clears the reason and the failure run). */
  async enable(actor: Actor, id: string): Promise<SubscriptionEntity> {
    return this.write(async (manager) => {
      const subscription = await this.load(manager, actor, id, true);
      this.setEnabled(subscription, true, null, new Date());
      subscription.failingSince = null;
      await manager.save(SubscriptionEntity, subscription);
      await publishSubscription(manager, id);
      return manager.findOneByOrFail(SubscriptionEntity, { id });
    });
  }

  /** A new current secret; the previous one keeps signing for 24 h so receivers can switch without a gap. */
  async rotateSecret(actor: Actor, id: string): Promise<SecretView[]> {
    return this.write(async (manager) => {
      await this.load(manager, actor, id, true);
      const now = new Date();
      await manager.query(
        'UPDATE signing_secrets SET expires_at = $2 WHERE subscription_id = $1 AND (expires_at IS NULL OR expires_at > $2)',
        [id, new Date(now.getTime() + SECRET_OVERLAP_MS)],
      );
      // Older rotated-out secrets stop now: at most two secrets sign at once.
      await manager.query('DELETE FROM signing_secrets WHERE subscription_id = $1 AND expires_at IS NOT NULL AND created_at < (SELECT max(created_at) FROM signing_secrets WHERE subscription_id = $1)', [id]);
      await manager.insert(SigningSecretEntity, { id: newId('secret'), subscriptionId: id, secret: generateSigningSecret(), createdAt: now, expiresAt: null });
      await publishSubscription(manager, id);
      return (await validSecrets(manager, id)).map(toSecretView);
    });
  }

  async secrets(actor: Actor, id: string): Promise<SecretView[]> {
    await this.load(this.dataSource.manager, actor, id, false);
    return (await validSecrets(this.dataSource.manager, id)).map(toSecretView);
  }

  /** Webhooks as the API shows them, with warnings that depend on each owner's current role (one query). */
  async views(subscriptions: SubscriptionEntity[]): Promise<WebhookView[]> {
    const ownerIds = [...new Set(subscriptions.map((subscription) => subscription.ownerMemberId))];
    const owners = ownerIds.length === 0 ? [] : await this.dataSource.getRepository(MemberEntity).findBy({ id: In(ownerIds) });
    const byId = new Map(owners.map((owner) => [owner.id, owner]));
    return subscriptions.map((subscription) => toWebhookView(subscription, ownerOf(byId.get(subscription.ownerMemberId)), this.targets.problem(subscription.url)));
  }

  async view(subscription: SubscriptionEntity): Promise<WebhookView> {
    const owner = await this.dataSource.getRepository(MemberEntity).findOneBy({ id: subscription.ownerMemberId });
    return toWebhookView(subscription, ownerOf(owner), this.targets.problem(subscription.url));
  }

  /** Loads a webhook the actor may act on: 404 outside its workspace, 403 when it is neither owner nor admin. */
  async load(manager: EntityManager, actor: Actor, id: string, forUpdate: boolean): Promise<SubscriptionEntity> {
    const subscription = await manager.findOne(SubscriptionEntity, {
      where: { id },
      ...(forUpdate ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    const access = webhookAccess(actor, subscription);
    if (access === 'not_found' || !subscription) throw new NotFound(`no webhook ${id}`);
    if (access === 'forbidden') throw new Forbidden('only the webhook owner or a workspace admin can do this');
    return subscription;
  }

  /** A write of webhooks (published on commit): a unique-key error can only be the name, taken by a concurrent write. */
  private async write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.transactions.publishing(work);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ValidationFailed([{ field: 'name', reason: 'a webhook with this name already exists in the workspace' }]);
      throw error;
    }
  }

  private setEnabled(subscription: SubscriptionEntity, enabled: boolean, reason: string | null, now: Date): void {
    subscription.enabled = enabled;
    subscription.disabledReason = enabled ? null : reason;
    subscription.disabledAt = enabled ? null : now;
  }

  private async assertNameFree(manager: EntityManager, workspaceId: string, name: string, exceptId: string | null): Promise<void> {
    const clash = await manager.findOneBy(SubscriptionEntity, { workspaceId, nameKey: normalizeName(name) });
    if (clash && clash.id !== exceptId) {
      throw new ValidationFailed([{ field: 'name', reason: 'a webhook with this name already exists in the workspace' }]);
    }
  }

  private async checkFields(body: Record<string, unknown>, creating: boolean): Promise<FieldError[]> {
    const errors: FieldError[] = [];
    const has = (field: string): boolean => creating || body[field] !== undefined;
    if (has('name')) errors.push(...checkName(body['name']));
    if (body['description'] !== undefined) errors.push(...checkDescription(body['description']));
    if (has('url')) errors.push(...(await this.checkTarget(body['url'])));
    if (has('events')) errors.push(...checkEventTypes(body['events']));
    if (body['enabled'] !== undefined && typeof body['enabled'] !== 'boolean') errors.push({ field: 'enabled', reason: 'must be true or false' });
    if (body['rateLimitPerSecond'] !== undefined) errors.push(...checkRateLimit(body['rateLimitPerSecond']));
    if (body['headers'] !== undefined) errors.push(...checkHeaders(body['headers']));
    if (body['ownerMemberId'] !== undefined && typeof body['ownerMemberId'] !== 'string') {
      errors.push({ field: 'ownerMemberId', reason: 'must be a member id' });
    }
    return errors;
  }

  /** The URL rules (scheme, host names, addresses with DNS): the delivery worker's own, so a saved URL is one it sends to. */
  private async checkTarget(url: unknown): Promise<FieldError[]> {
    const missing = checkUrlPresent(url);
    if (missing.length > 0) return missing;
    const verdict = await this.targets.check(url as string);
    return verdict.ok ? [] : [{ field: 'url', reason: verdict.reason }];
  }
}

export interface WebhookFilters {
  search?: string;
  enabled?: boolean;
  eventType?: string;
  cursor: WebhookCursor | null;
  limit: number;
}

/**
 * One oldest-first keyset page of a workspace's webhooks (or one member's), plus one
 * row to know whether there is a next page (bench/webhook-list.bench.ts).
 */
export function findWebhookPage(dataSource: DataSource, scope: { workspaceId: string; ownerMemberId?: string }, filters: WebhookFilters): Promise<SubscriptionEntity[]> {
  const builder = dataSource.getRepository(SubscriptionEntity).createQueryBuilder('s').where('s.workspace_id = :workspaceId', { workspaceId: scope.workspaceId });
  if (scope.ownerMemberId) builder.andWhere('s.owner_member_id = :memberId', { memberId: scope.ownerMemberId });
  if (filters.search !== undefined) builder.andWhere('(s.name ILIKE :pattern OR s.url ILIKE :pattern)', { pattern: containsPattern(filters.search) });
  if (filters.enabled !== undefined) builder.andWhere('s.enabled = :enabled', { enabled: filters.enabled });
  if (filters.eventType !== undefined) builder.andWhere('(s.all_events OR s.event_types @> jsonb_build_array(CAST(:eventType AS text)))', { eventType: filters.eventType });
  if (filters.cursor) builder.andWhere('(s.created_at, s.id) > (:cursorTime, :cursorId)', { cursorTime: new Date(filters.cursor.createdAt), cursorId: filters.cursor.id });
  return builder.orderBy('s.created_at', 'ASC').addOrderBy('s.id', 'ASC').limit(filters.limit + 1).getMany();
}

export function toSecretView(secret: SigningSecretEntity): SecretView {
  return {
    id: secret.id,
    secret: secret.secret,
    createdAt: secret.createdAt.toISOString(),
    expiresAt: secret.expiresAt ? secret.expiresAt.toISOString() : null,
  };
}

/** The headers a create or update stores: values read masked and sent back unchanged keep the stored value. */
function headersToStore(stored: Record<string, string>, sent: unknown): Record<string, string> {
  const { headers, errors } = mergeHeaderWrite(stored, (sent as Record<string, string> | null | undefined) ?? {});
  assertValid(errors);
  return headers;
}

/** A webhook's owner as its view shows it; a member row that is gone reads as an unknown member. */
function ownerOf(member: MemberEntity | null | undefined): WebhookOwner {
  return member ? { displayName: member.displayName, role: member.role } : { displayName: 'unknown member', role: 'member' };
}

function unknownFields(body: Record<string, unknown>, allowed: Set<string>): FieldError[] {
  return Object.keys(body)
    .filter((field) => !allowed.has(field))
    .map((field) => ({ field, reason: 'is not a known field' }));
}

function isUniqueViolation(error: unknown): boolean {
  const driverError = error instanceof QueryFailedError ? (error.driverError as { code?: string }) : (error as { code?: string });
  return driverError?.code === '23505';
}

