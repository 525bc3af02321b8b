import { z } from 'zod';
import { ATTEMPT_OUTCOMES } from '../messages/attempt-outcome';
import { apiShape, DATE_TIME } from './api-schema';
import { ENDPOINT_HEALTH_SUMMARY } from './endpoint-health.api';
import { FIELD_ERROR } from './errors.api';
import { MEMBER_ROLES } from './workspace-access';

export const EVENT_SELECTION_DESCRIPTION =
  "'*' for every Harmony event type (including ones added later), or a non-empty list of catalog event types. A list of operational event types only " +
  "(webhook.disabled, webhook.delivery_exhausted, webhook.recovered) registers the workspace's operational endpoint: admins only, one per workspace; " +
  'it receives signed, retried events about the other webhooks.';

/** `'*'` = every event type, including ones added later. */
export const EVENT_SELECTION = z.xor([z.literal('*'), z.array(z.string().meta({ example: 'contact.created' }))]).describe(EVENT_SELECTION_DESCRIPTION);
export type EventSelection = z.infer<typeof EVENT_SELECTION>;

/** Custom request headers: name → value. */
export const HEADER_MAP = z.record(z.string(), z.string());

export const WEBHOOK_OWNER = apiShape(
  'WebhookOwnerDto',
  z.object({
    memberId: z.string(),
    displayName: z.string().meta({ example: 'Ada Admin' }),
    role: z.enum(MEMBER_ROLES).describe("The owner's current role: the webhook receives what this member may see."),
  }),
);
export type WebhookOwner = z.infer<typeof WEBHOOK_OWNER>;

/** Endpoint health as the webhook row carries it: failing since (null = healthy), last attempt, when it will be disabled. */
export const WEBHOOK_HEALTH = apiShape(
  'WebhookHealthDto',
  z.object({
    failingSince: DATE_TIME.nullable(),
    lastAttemptAt: DATE_TIME.nullable(),
    disablesAt: DATE_TIME.nullable().describe(
      'While enabled and failing: when endpoint health will disable it (5 days after failingSince) unless a delivery succeeds first.',
    ),
  }),
);
export type WebhookHealth = z.infer<typeof WEBHOOK_HEALTH>;

/** The newest entry of a webhook's delivery log. */
export const LAST_DELIVERY = apiShape(
  'LastDeliveryDto',
  z.object({
    outcome: z.enum(ATTEMPT_OUTCOMES),
    httpStatus: z.number().nullable(),
    errorCode: z.string().nullable(),
    finishedAt: DATE_TIME,
  }),
);
export type LastDelivery = z.infer<typeof LAST_DELIVERY>;

const WEBHOOK_FIELDS = {
  id: z.string().meta({ example: 'sub_01JN8EY4M01Q2JXEXGJAGNSW68' }),
  name: z.string(),
  description: z.string().nullable(),
  url: z.string(),
  urlProblem: z
    .string()
    .nullable()
    .describe(
      "Why the deployment's current URL rules refuse this URL (they changed after it was saved), or null. Its deliveries fail with this reason and wait on the retry schedule until the URL is fixed.",
    )
    .meta({ example: 'URL must use https' }),
  events: EVENT_SELECTION,
  enabled: z.boolean(),
  operational: z.boolean().describe("The workspace's operational endpoint (its events are operational event types only)."),
  disabledReason: z.string().nullable().meta({ example: 'The endpoint answered 410 Gone.' }),
  disabledAt: DATE_TIME.nullable(),
  rateLimitPerSecond: z.number().nullable(),
  /** Values masked (`****` + last 4): only a write replaces them. */
  headers: HEADER_MAP,
  ownerMemberId: z.string(),
  owner: WEBHOOK_OWNER,
  warnings: z
    .array(FIELD_ERROR)
    .describe(
      "What the owner should know, e.g. admin-only events selected while the webhook's owner is a member (they are not delivered until the owner is an admin).",
    )
    .meta({ example: [{ field: 'events', reason: 'user.updated is admin-only: this webhook will not receive it while its owner is a member' }] }),
  health: WEBHOOK_HEALTH,
  lastDelivery: LAST_DELIVERY.nullable().optional().describe('In lists: the newest delivery log entry (null before the first).'),
  endpointHealth: ENDPOINT_HEALTH_SUMMARY.optional().describe(
    'In lists: the last 24 h of endpoint health, breaker state and last error (GET /v1/webhooks/{id}/health for 7 d too).',
  ),
  version: z.number(),
  createdAt: DATE_TIME,
  updatedAt: DATE_TIME,
};

/** A webhook as the API shows it (its secrets only through their own endpoints). */
export const WEBHOOK = apiShape('WebhookDto', z.object(WEBHOOK_FIELDS));
export type Webhook = z.infer<typeof WEBHOOK>;

/** `GET /v1/webhooks`: one keyset page. */
export const WEBHOOK_PAGE = apiShape(
  'WebhookPageDto',
  z.object({
    data: z.array(WEBHOOK),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page.'),
  }),
);
export type WebhookPage = z.infer<typeof WEBHOOK_PAGE>;

export const SECRET = apiShape(
  'SecretDto',
  z.object({
    id: z.string(),
    secret: z.string().meta({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }),
    createdAt: DATE_TIME,
    expiresAt: DATE_TIME.nullable().describe('null for the current secret.'),
  }),
);
export type Secret = z.infer<typeof SECRET>;

/** `GET /v1/webhooks/{id}/secrets`, `POST …/rotate-secret`. */
export const SECRETS = apiShape(
  'SecretsDto',
  z.object({ secrets: z.array(SECRET).describe('Current first; a rotated-out secret keeps signing until it expires.') }),
);
export type Secrets = z.infer<typeof SECRETS>;

/** `POST /v1/webhooks`: the webhook and its signing secret. */
export const CREATED_WEBHOOK = apiShape(
  'CreatedWebhookDto',
  z.object({ ...WEBHOOK_FIELDS, secret: SECRET.describe('The signing secret; also readable later at /secrets.') }),
);
export type CreatedWebhook = z.infer<typeof CREATED_WEBHOOK>;

/** `POST /v1/webhooks/{id}/recover`. */
export const RECOVER_RESULT = apiShape(
  'RecoverResultDto',
  z.object({
    queued: z.number().describe('Events re-queued.'),
    truncated: z.boolean().describe('More than the limit failed: call again to re-queue the rest.'),
    skippedForPermission: z.number().describe("Failed events not re-queued because the webhook's owner may no longer see them."),
    skippedReason: z.string().optional().describe('Set when skippedForPermission > 0.'),
  }),
);
export type RecoverResult = z.infer<typeof RECOVER_RESULT>;

/** `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver`. */
export const REDELIVERED = apiShape('RedeliveredDto', z.object({ jobId: z.string(), eventId: z.string() }));
export type Redelivered = z.infer<typeof REDELIVERED>;
