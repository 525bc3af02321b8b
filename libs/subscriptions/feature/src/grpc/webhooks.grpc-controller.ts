import { Controller } from '@nestjs/common';
import { GrpcMethod, RpcException } from '@nestjs/microservices';
import { Metadata, status } from '@grpc/grpc-js';
import type { CreateWebhookInput, HealthWindow, UpdateWebhookInput, Webhook } from '@harmony/contracts';
import type { Actor } from '@harmony/subscriptions/domain';
import { bearerToken } from '@harmony/webhooks/domain';
import { webhookFilters } from '../api/webhook-list.query';
import { ServiceError, Unauthenticated, ValidationFailed } from '../common/service-errors';
import type { SubscriptionEntity } from '../entities';
import { EndpointHealthService } from '../health/endpoint-health.service';
import { TenancyService } from '../tenancy/tenancy.service';
import { WebhooksService } from '../webhooks/webhooks.service';

interface EventSelection {
  all?: boolean;
  types?: string[];
}

/** `CreateWebhookRequest` as proto-loader decodes it (camelCase; unset optional fields absent). */
interface CreateWebhookRequest {
  name?: string;
  description?: string;
  url?: string;
  events?: EventSelection;
  enabled?: boolean;
  rateLimitPerSecond?: number;
  headers?: Record<string, string>;
}

/** `UpdateWebhookRequest`: an empty description clears it; unset fields stay unchanged. */
interface UpdateWebhookRequest extends Omit<CreateWebhookRequest, 'headers'> {
  id?: string;
  ownerMemberId?: string;
}

interface WebhookMessage {
  id: string;
  name: string;
  description?: string;
  url: string;
  events: EventSelection;
  enabled: boolean;
  disabledReason?: string;
  disabledAt?: string;
  rateLimitPerSecond?: number;
  headers: Record<string, string>;
  ownerMemberId: string;
  /** As in REST: e.g. admin-only events this webhook will not receive while its owner is a member. */
  warnings: string[];
  owner: { memberId: string; displayName: string; role: string };
  urlProblem?: string;
  operational: boolean;
  failingSince?: string;
  disablesAt?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

const CODES: Record<ServiceError['kind'], status> = {
  invalid: status.INVALID_ARGUMENT,
  unauthenticated: status.UNAUTHENTICATED,
  forbidden: status.PERMISSION_DENIED,
  not_found: status.NOT_FOUND,
  conflict: status.FAILED_PRECONDITION,
  too_many_requests: status.RESOURCE_EXHAUSTED,
};

/**
 * `harmony.webhooks.v1.WebhookService` (libs/contracts/proto/webhooks.proto):
 * the REST use cases behind gRPC, with the same key, scopes and ownership rules.
 */
@Controller()
export class WebhooksGrpcController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly tenancy: TenancyService,
    private readonly health: EndpointHealthService,
  ) {}

  /** The REST body from the message; the service checks it against the same shape (CREATE_WEBHOOK). */
  @GrpcMethod('WebhookService', 'CreateWebhook')
  createWebhook(request: CreateWebhookRequest, metadata: Metadata): Promise<{ webhook: WebhookMessage; signingSecret: string }> {
    return this.handle(metadata, 'webhooks:write', async (actor) => {
      const body: CreateWebhookInput = {
        name: request.name ?? '',
        url: request.url ?? '',
        events: toEvents(request.events),
        description: request.description,
        enabled: request.enabled,
        rateLimitPerSecond: request.rateLimitPerSecond,
        headers: request.headers,
      };
      const { subscription, secret } = await this.webhooks.create(actor, body);
      return { webhook: await this.message(subscription), signingSecret: secret.secret };
    });
  }

  @GrpcMethod('WebhookService', 'GetWebhook')
  getWebhook(request: { id?: string }, metadata: Metadata): Promise<WebhookMessage> {
    return this.handle(metadata, 'webhooks:read', async (actor) => this.message(await this.webhooks.get(actor, request.id ?? '')));
  }

  @GrpcMethod('WebhookService', 'ListWebhooks')
  listWebhooks(
    request: { limit?: number; cursor?: string; search?: string; enabled?: boolean; eventType?: string; operational?: boolean },
    metadata: Metadata,
  ): Promise<{ webhooks: WebhookMessage[]; nextCursor: string }> {
    return this.handle(metadata, 'webhooks:read', async (actor) => {
      const page = await this.webhooks.list(
        actor,
        webhookFilters({
          limit: request.limit || undefined,
          cursor: request.cursor,
          search: request.search,
          enabled: request.enabled === undefined || request.enabled === null ? undefined : String(request.enabled),
          eventType: request.eventType,
          operational: request.operational === undefined || request.operational === null ? undefined : String(request.operational),
        }),
      );
      return {
        webhooks: (await this.webhooks.views(page.data)).map(toMessage),
        nextCursor: page.nextCursor ?? '',
      };
    });
  }

  /** The REST body from the message (unset fields stay unchanged); the service checks it against UPDATE_WEBHOOK. */
  @GrpcMethod('WebhookService', 'UpdateWebhook')
  updateWebhook(request: UpdateWebhookRequest, metadata: Metadata): Promise<WebhookMessage> {
    return this.handle(metadata, 'webhooks:write', async (actor) => {
      // Field by field: proto-loader adds a virtual `_<field>` for each optional one that is set (oneofs).
      const { description, events } = request;
      const body: UpdateWebhookInput = {
        name: request.name,
        description: description === undefined ? undefined : description === '' ? null : description,
        url: request.url,
        events: events === undefined ? undefined : toEvents(events),
        enabled: request.enabled,
        rateLimitPerSecond: request.rateLimitPerSecond,
        ownerMemberId: request.ownerMemberId,
      };
      return this.message(await this.webhooks.update(actor, request.id ?? '', body));
    });
  }

  @GrpcMethod('WebhookService', 'DeleteWebhook')
  deleteWebhook(request: { id?: string }, metadata: Metadata): Promise<Record<string, never>> {
    return this.handle(metadata, 'webhooks:write', async (actor) => {
      await this.webhooks.remove(actor, request.id ?? '');
      return {};
    });
  }

  @GrpcMethod('WebhookService', 'GetWebhookHealth')
  getWebhookHealth(request: { id?: string }, metadata: Metadata): Promise<Record<string, unknown>> {
    return this.handle(metadata, 'webhooks:read', async (actor) => {
      const health = await this.health.forWebhook(actor, request.id ?? '');
      return {
        webhookId: health.webhookId,
        lastDay: toWindowMessage(health.last24h),
        lastWeek: toWindowMessage(health.last7d),
        breaker: withoutNulls({ state: health.breaker.state, asOf: health.breaker.asOf }),
        ...(health.lastError ? { lastError: withoutNulls({ ...health.lastError }) } : {}),
      };
    });
  }

  private async message(subscription: SubscriptionEntity): Promise<WebhookMessage> {
    return toMessage(await this.webhooks.view(subscription));
  }

  private async handle<T>(metadata: Metadata, scope: 'webhooks:read' | 'webhooks:write', work: (actor: Actor) => Promise<T>): Promise<T> {
    try {
      const [header] = metadata.get('authorization');
      const key = bearerToken(typeof header === 'string' ? header : header?.toString());
      const actor = key ? await this.tenancy.authenticate(key) : null;
      if (!actor) throw new Unauthenticated('a valid API key is required: metadata authorization: Bearer hwk_…');
      if (!actor.scopes.includes(scope)) throw new GrpcForbidden(`this API key lacks the ${scope} scope`);
      return await work(actor);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      const trailer = new Metadata();
      if (error instanceof ValidationFailed) trailer.set('x-field-errors', asciiJson(error.errors));
      throw new RpcException({ code: CODES[error.kind], message: error.message, metadata: trailer });
    }
  }
}

class GrpcForbidden extends ServiceError {
  readonly kind = 'forbidden' as const;
}

/** JSON with every non-ASCII character escaped: metadata values must be ASCII (a reason such as "1–200" would fail the call). */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function toEvents(selection: EventSelection | undefined): '*' | string[] {
  if (selection?.all) return '*';
  return selection?.types ?? [];
}

/** The REST view as the proto message: optional fields left out when null, the event selection as a message. */
function toMessage(view: Webhook): WebhookMessage {
  return {
    id: view.id,
    name: view.name,
    ...(view.description !== null ? { description: view.description } : {}),
    url: view.url,
    events: view.events === '*' ? { all: true, types: [] } : { all: false, types: view.events },
    enabled: view.enabled,
    ...(view.disabledReason !== null ? { disabledReason: view.disabledReason } : {}),
    ...(view.disabledAt !== null ? { disabledAt: view.disabledAt } : {}),
    ...(view.rateLimitPerSecond !== null ? { rateLimitPerSecond: view.rateLimitPerSecond } : {}),
    headers: view.headers,
    ownerMemberId: view.ownerMemberId,
    warnings: view.warnings.map((warning) => warning.reason),
    owner: view.owner,
    ...(view.urlProblem !== null ? { urlProblem: view.urlProblem } : {}),
    operational: view.operational,
    ...(view.health.failingSince !== null ? { failingSince: view.health.failingSince } : {}),
    ...(view.health.disablesAt !== null ? { disablesAt: view.health.disablesAt } : {}),
    version: view.version,
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
  };
}

function toWindowMessage(window: HealthWindow): Record<string, unknown> {
  const { responseTimeMs, ...counts } = window;
  return withoutNulls({ ...counts, p50Ms: responseTimeMs.p50, p95Ms: responseTimeMs.p95 });
}

/** proto3 `optional` fields: unset rather than null. */
function withoutNulls(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null));
}
