import { DATE_TIME_SCHEMA, nullable, objectSchema, prefixedIdSchema, stringEnumSchema, URI_SCHEMA } from '../../schema/json-schema';
import { ID_PREFIXES, SUBSCRIPTION_ID_SCHEMA } from '../../schema/ids';
import { defineEvent } from '../event-definition';

/*
 * Operational events: what the platform itself says about a workspace's webhooks
 * (Svix's "operational webhooks"). Never published upstream; the subscription
 * service emits them through its outbox to `webhooks.events.webhook`, and only
 * the workspace's operational endpoint receives them (decision 0115).
 */

/** The webhook an operational event is about, as it was when the event happened. */
export interface WebhookRef {
  id: string;
  name: string;
  url: string;
}

/** Why a webhook stopped delivering. */
export const WEBHOOK_DISABLED_REASONS = ['gone', 'failing', 'owner_access_lost', 'url_not_allowed'] as const;
export type WebhookDisabledReason = (typeof WEBHOOK_DISABLED_REASONS)[number];

export interface WebhookDisabledData {
  webhook: WebhookRef;
  reason: WebhookDisabledReason;
  /** The reason in words, as the page shows it. */
  message: string;
  /**
   * false: the platform switched the webhook off (`gone`, `failing`): re-enable it once the endpoint works.
   * true: it stays on but delivers nothing until fixed (`owner_access_lost`: hand it to an active member;
   * `url_not_allowed`: change the URL — its events wait on the retry schedule meanwhile).
   */
  enabled: boolean;
  /** Start of the failure run, when there is one. */
  failingSince: string | null;
}

export interface WebhookDeliveryExhaustedData {
  webhook: WebhookRef;
  eventId: string;
  eventType: string;
  /** Attempts spent on this event. */
  attempts: number;
  lastAttempt: { id: string; httpStatus: number | null; error: { code: string; message: string } | null; finishedAt: string };
}

export interface WebhookRecoveredData {
  webhook: WebhookRef;
  /** Start of the failure run this success ended (null when the webhook was re-enabled in between). */
  failingSince: string | null;
  /** The successful attempt. */
  attemptId: string;
  eventId: string;
}

const WEBHOOK_REF_SCHEMA = objectSchema(
  { id: SUBSCRIPTION_ID_SCHEMA, name: { type: 'string', minLength: 1, maxLength: 120 }, url: URI_SCHEMA },
  { description: 'The webhook this is about.' },
);
const ATTEMPT_ID_SCHEMA = prefixedIdSchema(ID_PREFIXES.attempt, 'Delivery attempt id (GET /v1/webhooks/{id}/deliveries/{attemptId})');
const EVENT_ID_REF_SCHEMA = { type: 'string', minLength: 1, maxLength: 64, description: 'Id of the event (its webhook-id header).' };
const EXAMPLE_WEBHOOK: WebhookRef = { id: 'sub_01JNDQ5E80S8QXPN12HE6FZNP9', name: 'CRM sync', url: 'https://hooks.example.com/harmony/7f3a9c' };

// About every webhook of the workspace: admins only.
const ACCESS = 'admin' as const;

export const WEBHOOK_DISABLED = defineEvent<WebhookDisabledData>()({
  type: 'webhook.disabled',
  category: 'webhook',
  description: 'A webhook stopped delivering: 410 Gone, 5 days failing, owner lost access, URL not allowed.',
  access: ACCESS,
  schema: objectSchema({
    webhook: WEBHOOK_REF_SCHEMA,
    reason: stringEnumSchema(WEBHOOK_DISABLED_REASONS),
    message: { type: 'string', minLength: 1, maxLength: 1000 },
    enabled: { type: 'boolean' },
    failingSince: nullable(DATE_TIME_SCHEMA),
  }),
  example: {
    webhook: EXAMPLE_WEBHOOK,
    reason: 'failing',
    message: 'Every delivery failed for 5 days (since 2025-03-09T08:12:44.000Z).',
    enabled: false,
    failingSince: '2025-03-09T08:12:44.000Z',
  },
});

export const WEBHOOK_DELIVERY_EXHAUSTED = defineEvent<WebhookDeliveryExhaustedData>()({
  type: 'webhook.delivery_exhausted',
  category: 'webhook',
  description: 'An event gave up on a webhook after its last attempt failed.',
  access: ACCESS,
  schema: objectSchema({
    webhook: WEBHOOK_REF_SCHEMA,
    eventId: EVENT_ID_REF_SCHEMA,
    eventType: { type: 'string', minLength: 1, maxLength: 100 },
    attempts: { type: 'integer', minimum: 1 },
    lastAttempt: objectSchema({
      id: ATTEMPT_ID_SCHEMA,
      httpStatus: nullable({ type: 'integer', minimum: 100, maximum: 599 }),
      error: nullable(objectSchema({ code: { type: 'string' }, message: { type: 'string' } })),
      finishedAt: DATE_TIME_SCHEMA,
    }),
  }),
  example: {
    webhook: EXAMPLE_WEBHOOK,
    eventId: 'evt_01JN8EY4M01Q2JXEXGJAGNSW68',
    eventType: 'contact.created',
    attempts: 8,
    lastAttempt: { id: 'att_01JN9ZK2V3W4X5Y6Z7A8B9C0D1', httpStatus: 503, error: { code: 'http_status', message: 'HTTP 503' }, finishedAt: '2025-03-10T12:40:03.000Z' },
  },
});

export const WEBHOOK_RECOVERED = defineEvent<WebhookRecoveredData>()({
  type: 'webhook.recovered',
  category: 'webhook',
  description: 'A webhook delivered again after an earlier operational event said it was failing.',
  access: ACCESS,
  schema: objectSchema({
    webhook: WEBHOOK_REF_SCHEMA,
    failingSince: nullable(DATE_TIME_SCHEMA),
    attemptId: ATTEMPT_ID_SCHEMA,
    eventId: EVENT_ID_REF_SCHEMA,
  }),
  example: {
    webhook: EXAMPLE_WEBHOOK,
    failingSince: '2025-03-09T08:12:44.000Z',
    attemptId: 'att_01JNA3M8Q9R0S1T2V3W4X5Y6Z7',
    eventId: 'evt_01JNA3M8P0Q1R2S3T4V5W6X7Y8',
  },
});

/** Operational events in catalog order. */
export const WEBHOOK_EVENTS = [WEBHOOK_DISABLED, WEBHOOK_DELIVERY_EXHAUSTED, WEBHOOK_RECOVERED] as const;
