import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@harmony/platform-config';
import { generateSigningSecret } from '@harmony/webhooks/domain';
import {
  type Actor,
  encodeWebhookCursor,
  isActiveMember,
  isAdmin,
  isOperationalSelection,
  mergeHeaderWrite,
  normalizeName,
  webhookAccess,
} from '@harmony/subscriptions/domain';
import { type EntityManager, QueryFailedError } from 'typeorm';
import { CREATE_WEBHOOK, newId, type Secret, UPDATE_WEBHOOK, type Webhook } from '@harmony/contracts';
import { assertValid, Forbidden, NotFound, ValidationFailed } from '../common/service-errors';
import { Transactions } from '../common/transactions';
import { type MemberEntity, SigningSecretEntity, SubscriptionEntity } from '../entities';
import { OperationalRepository } from '../operational/operational.repository';
import { toWebhookView, type WebhookOwner } from './webhook.view';
import { parseBody } from '../api/request-body';
import { checkedWebhookUrl, WEBHOOK_TARGET_CHECK, type WebhookTargetCheck } from './webhook-target.check';
import { type WebhookFilters, WebhookRepository } from './webhook.repository';

export const SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** The webhook use cases. Every change commits together with its outbox snapshot, or not at all. */
@Injectable()
export class WebhooksService {
  private readonly bodies: WebhookBodies;

  constructor(
    private readonly repository: WebhookRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transactions: Transactions,
    @Inject(WEBHOOK_TARGET_CHECK) private readonly targets: WebhookTargetCheck,
    private readonly operational: OperationalRepository,
  ) {
    this.bodies = webhookBodies(targets);
  }

  /** `body`: a create request (REST or gRPC), checked against CREATE_WEBHOOK and the URL policy. */
  async create(actor: Actor, body: unknown): Promise<{ subscription: SubscriptionEntity; secret: Secret }> {
    const input = await parseBody(this.bodies.create, body);
    const headers = headersToStore({}, input.headers);
    const result = await this.write(async (manager) => {
      const now = new Date();
      const events = input.events;
      const name = input.name.trim();
      await this.assertNameFree(manager, actor.workspaceId, name, null);
      const operational = isOperationalSelection(events);
      if (operational) await this.assertMayRegisterOperational(manager, actor);
      const subscription = Object.assign(new SubscriptionEntity(), {
        id: newId('subscription'),
        workspaceId: actor.workspaceId,
        ownerMemberId: actor.memberId,
        name,
        nameKey: normalizeName(name),
        description: input.description?.trim() || null,
        url: input.url,
        allEvents: events === '*',
        eventTypes: events === '*' ? [] : events,
        enabled: input.enabled ?? true,
        disabledReason: input.enabled === false ? 'Disabled by a user.' : null,
        disabledAt: input.enabled === false ? now : null,
        rateLimitPerSecond: input.rateLimitPerSecond ?? null,
        headers,
        version: 0,
        failingSince: null,
        lastAttemptAt: null,
        operational,
        failureNotifiedAt: null,
        urlRefusalNotified: null,
        createdAt: now,
        updatedAt: now,
      });
      const secret = Object.assign(new SigningSecretEntity(), {
        id: newId('secret'),
        subscriptionId: subscription.id,
        secret: generateSigningSecret(),
        createdAt: now,
        expiresAt: null,
      });
      await this.repository.insert(manager, subscription, secret);
      await this.repository.publish(manager, subscription.id);
      return { subscription: await this.repository.reload(manager, subscription.id), secret: toSecretView(secret) };
    });
    return result;
  }

  /**
   * One oldest-first keyset page of the webhooks the actor may see (admins: the
   * workspace's; members: their own), filtered by name/URL substring, enabled and
   * event type. Served by the (workspace_id[, owner_member_id], created_at, id) indexes.
   */
  async list(actor: Actor, filters: WebhookFilters): Promise<{ data: SubscriptionEntity[]; nextCursor: string | null }> {
    const scope = { workspaceId: actor.workspaceId, ownerMemberId: isAdmin(actor.role) ? undefined : actor.memberId };
    const rows = await this.repository.findPage(scope, filters);
    const data = rows.slice(0, filters.limit);
    const last = data[data.length - 1];
    return { data, nextCursor: rows.length > filters.limit && last ? encodeWebhookCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null };
  }

  get(actor: Actor, id: string): Promise<SubscriptionEntity> {
    return this.load(null, actor, id, false);
  }

  /** `body`: the fields to change (REST or gRPC), checked against UPDATE_WEBHOOK and the URL policy. */
  async update(actor: Actor, id: string, body: unknown): Promise<SubscriptionEntity> {
    const input = await parseBody(this.bodies.update, body);
    if (input.ownerMemberId !== undefined && !isAdmin(actor.role)) {
      throw new Forbidden('only admins can hand a webhook to another member');
    }
    return this.write(async (manager) => {
      const subscription = await this.load(manager, actor, id, true);
      const now = new Date();
      if (input.name !== undefined) {
        const name = input.name.trim();
        await this.assertNameFree(manager, actor.workspaceId, name, id);
        subscription.name = name;
        subscription.nameKey = normalizeName(name);
      }
      if (input.description !== undefined) subscription.description = input.description?.trim() || null;
      if (input.url !== undefined && input.url !== subscription.url) {
        subscription.url = input.url;
        // Another endpoint: the old one's failure run says nothing about it.
        subscription.failingSince = null;
      }
      if (input.events !== undefined) {
        const events = input.events;
        if (isOperationalSelection(events) !== subscription.operational) {
          throw new ValidationFailed([{ field: 'events', reason: subscription.operational ? 'the operational endpoint receives operational events (webhook.*) only' : "operational events (webhook.*) go to the workspace's operational endpoint: register it as a webhook of its own" }]);
        }
        subscription.allEvents = events === '*';
        subscription.eventTypes = events === '*' ? [] : events;
      }
      if (input.rateLimitPerSecond !== undefined) subscription.rateLimitPerSecond = input.rateLimitPerSecond;
      if (input.headers !== undefined) subscription.headers = headersToStore(subscription.headers, input.headers);
      if (input.enabled !== undefined && input.enabled !== subscription.enabled) {
        this.setEnabled(subscription, input.enabled, 'Disabled by a user.', now);
        // Re-enabled: a new start for endpoint health, or the next failure would disable it again at once.
        if (subscription.enabled) subscription.failingSince = null;
      }
      if (input.ownerMemberId !== undefined) {
        const owner = await this.repository.memberOf(manager, actor.workspaceId, input.ownerMemberId);
        if (!owner) throw new ValidationFailed([{ field: 'ownerMemberId', reason: 'no such member in this workspace' }]);
        if (!isActiveMember(owner.status)) throw new ValidationFailed([{ field: 'ownerMemberId', reason: `member is ${owner.status}` }]);
        subscription.ownerMemberId = owner.id;
      }
      await this.repository.save(manager, subscription);
      await this.repository.publish(manager, id);
      return this.repository.reload(manager, id);
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.write(async (manager) => {
      await this.load(manager, actor, id, true);
      await this.repository.delete(manager, id);
      // The tombstone: fan-out and the worker forget the subscription; compaction drops it.
      await this.repository.publish(manager, id);
    });
  }

  /** Re-enables a disabled webhook (clears the reason and the failure run). */
  async enable(actor: Actor, id: string): Promise<SubscriptionEntity> {
    return this.write(async (manager) => {
      const subscription = await this.load(manager, actor, id, true);
      this.setEnabled(subscription, true, null, new Date());
      subscription.failingSince = null;
      await this.repository.save(manager, subscription);
      await this.repository.publish(manager, id);
      return this.repository.reload(manager, id);
    });
  }

  /** A new current secret; the previous one keeps signing for 24 h so receivers can switch without a gap. */
  async rotateSecret(actor: Actor, id: string): Promise<Secret[]> {
    return this.write(async (manager) => {
      await this.load(manager, actor, id, true);
      const now = new Date();
      const secret = Object.assign(new SigningSecretEntity(), { id: newId('secret'), subscriptionId: id, secret: generateSigningSecret(), createdAt: now, expiresAt: null });
      await this.repository.rotateSecret(manager, id, secret, new Date(now.getTime() + SECRET_OVERLAP_MS));
      await this.repository.publish(manager, id);
      return (await this.repository.validSecrets(manager, id)).map(toSecretView);
    });
  }

  async secrets(actor: Actor, id: string): Promise<Secret[]> {
    await this.load(null, actor, id, false);
    return (await this.repository.validSecrets(null, id)).map(toSecretView);
  }

  /** Webhooks as the API shows them, with warnings that depend on each owner's current role (one query). */
  async views(subscriptions: SubscriptionEntity[]): Promise<Webhook[]> {
    const ownerIds = [...new Set(subscriptions.map((subscription) => subscription.ownerMemberId))];
    const owners = await this.repository.members(ownerIds);
    const byId = new Map(owners.map((owner) => [owner.id, owner]));
    return subscriptions.map((subscription) => toWebhookView(subscription, ownerOf(byId.get(subscription.ownerMemberId)), this.targets.problem(subscription.url)));
  }

  async view(subscription: SubscriptionEntity): Promise<Webhook> {
    const [owner] = await this.repository.members([subscription.ownerMemberId]);
    return toWebhookView(subscription, ownerOf(owner), this.targets.problem(subscription.url));
  }

  /** Loads a webhook the actor may act on: 404 outside its workspace, 403 when it is neither owner nor admin. */
  async load(manager: EntityManager | null, actor: Actor, id: string, forUpdate: boolean): Promise<SubscriptionEntity> {
    const subscription = await this.repository.find(manager, id, forUpdate);
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
      if (isUniqueViolation(error) && constraintOf(error) === 'subscriptions_one_operational_per_workspace') {
        throw new ValidationFailed([{ field: 'events', reason: 'the workspace already has an operational endpoint' }]);
      }
      if (isUniqueViolation(error)) throw new ValidationFailed([{ field: 'name', reason: 'a webhook with this name already exists in the workspace' }]);
      throw error;
    }
  }

  private setEnabled(subscription: SubscriptionEntity, enabled: boolean, reason: string | null, now: Date): void {
    subscription.enabled = enabled;
    subscription.disabledReason = enabled ? null : reason;
    subscription.disabledAt = enabled ? null : now;
  }

  /** The operational endpoint: admins only (its events are about every webhook), one per workspace. */
  private async assertMayRegisterOperational(manager: EntityManager, actor: Actor): Promise<void> {
    if (!isAdmin(actor.role)) throw new Forbidden('only admins can register the operational endpoint');
    const existing = await this.operational.findEndpoint(manager, actor.workspaceId);
    if (existing) throw new ValidationFailed([{ field: 'events', reason: `the workspace already has an operational endpoint (${existing.id}): change that one` }]);
  }

  private async assertNameFree(manager: EntityManager, workspaceId: string, name: string, exceptId: string | null): Promise<void> {
    const clash = await this.repository.findByName(manager, workspaceId, name);
    if (clash && clash.id !== exceptId) {
      throw new ValidationFailed([{ field: 'name', reason: 'a webhook with this name already exists in the workspace' }]);
    }
  }
}

export function toSecretView(secret: SigningSecretEntity): Secret {
  return {
    id: secret.id,
    secret: secret.secret,
    createdAt: secret.createdAt.toISOString(),
    expiresAt: secret.expiresAt ? secret.expiresAt.toISOString() : null,
  };
}

/** The headers a create or update stores: values read masked and sent back unchanged keep the stored value. */
function headersToStore(stored: Record<string, string>, sent: Record<string, string> | null | undefined): Record<string, string> {
  const { headers, errors } = mergeHeaderWrite(stored, sent ?? {});
  assertValid(errors);
  return headers;
}

/** A webhook's owner as its view shows it; a member row that is gone reads as an unknown member. */
function ownerOf(member: MemberEntity | null | undefined): WebhookOwner {
  return member ? { displayName: member.displayName, role: member.role } : { displayName: 'unknown member', role: 'member' };
}

function constraintOf(error: unknown): string | undefined {
  return (error instanceof QueryFailedError ? (error.driverError as { constraint?: string }) : (error as { constraint?: string }))?.constraint;
}

function isUniqueViolation(error: unknown): boolean {
  const driverError = error instanceof QueryFailedError ? (error.driverError as { code?: string }) : (error as { code?: string });
  return driverError?.code === '23505';
}

type WebhookBodies = ReturnType<typeof webhookBodies>;

/** The create and update bodies with the URL policy (DNS included) on `url`: one 400 names every invalid field. */
function webhookBodies(targets: WebhookTargetCheck) {
  const url = checkedWebhookUrl(targets);
  return { create: CREATE_WEBHOOK.extend({ url }), update: UPDATE_WEBHOOK.extend({ url: url.optional() }) };
}
