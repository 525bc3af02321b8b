import { z } from 'zod';
import { isKnownEventType } from '../catalog/event-catalog';
import { isOperationalEventType } from '../catalog/event-definition';
import { apiShape } from './api-schema';
import { HEADER_NAME_PATTERN, isReservedHeader } from './webhook-headers';
import { EVENT_SELECTION_DESCRIPTION } from './webhooks.api';

/*
 * What a client may send to create or change a webhook: the shapes of the
 * OpenAPI document and the rules the server applies (`parseBody`), with the
 * reasons its 400 gives. The URL's policy (scheme, host, where it points) is the
 * delivery worker's and needs DNS: the server adds it to `url`.
 */

export const NAME_MAX_LENGTH = 120;
export const DESCRIPTION_MAX_LENGTH = 1_000;
export const MAX_CUSTOM_HEADERS = 20;
export const HEADER_VALUE_MAX_LENGTH = 1_000;
export const RATE_LIMIT_MAX_PER_SECOND = 1_000;

/** A name (webhook, API key, workspace, admin): required, at most 120 characters once trimmed (it is stored trimmed), one line. */
export const NAME = z
  .string({ error: 'is required' })
  .refine((name) => name.trim() !== '', { error: 'is required', abort: true })
  .refine((name) => name.trim().length <= NAME_MAX_LENGTH, { error: `must be at most ${NAME_MAX_LENGTH} characters`, abort: true })
  .refine((name) => !hasControlCharacter(name), 'must not contain control characters')
  .meta({ maxLength: NAME_MAX_LENGTH });

const DESCRIPTION = z
  .string({ error: 'must be a string or null' })
  .max(DESCRIPTION_MAX_LENGTH, `must be at most ${DESCRIPTION_MAX_LENGTH} characters`)
  .nullable();

/** That a URL was given; what it may be is the delivery worker's policy, which the server adds. */
export const WEBHOOK_URL = z
  .string({ error: 'is required' })
  .refine((url) => url.trim() !== '', { error: 'is required', abort: true })
  .meta({ maxLength: 2048 });

/** `'*'` (every type, including future ones) or a non-empty list of catalog types, each once; operational types only by themselves. */
const EVENT_SELECTION_INPUT = z
  .xor(
    [
      z.literal('*'),
      z
        .array(z.string({ error: (issue) => `unknown event type ${JSON.stringify(issue.input)}` }).meta({ example: 'contact.created' }))
        .min(1, { error: 'must select at least one event type', abort: true })
        .superRefine((types, context) => {
          const seen = new Set<string>();
          types.forEach((type, index) => {
            if (!isKnownEventType(type)) context.addIssue({ code: 'custom', path: [index], message: `unknown event type ${JSON.stringify(type)}` });
            else if (seen.has(type)) context.addIssue({ code: 'custom', path: [index], message: `duplicate event type '${type}'` });
            else seen.add(type);
          });
          if (seen.size === types.length && types.some(isOperationalEventType) && !types.every(isOperationalEventType)) {
            context.addIssue({
              code: 'custom',
              message: "operational events (webhook.*) go to the workspace's operational endpoint only: select them without other events",
            });
          }
        }),
    ],
    { error: "must be '*' or a list of event types" },
  )
  .describe(EVENT_SELECTION_DESCRIPTION);

const ENABLED = z.boolean({ error: 'must be true or false' });

const RATE_LIMIT_REASON = `must be an integer 1–${RATE_LIMIT_MAX_PER_SECOND}, or null for the default`;
const RATE_LIMIT = z
  .number({ error: RATE_LIMIT_REASON })
  .min(1, { error: RATE_LIMIT_REASON, abort: true })
  .max(RATE_LIMIT_MAX_PER_SECOND, { error: RATE_LIMIT_REASON, abort: true })
  // Not `.int()`: the document keeps `type: number` (with minimum and maximum), as it always said.
  .refine(Number.isInteger, RATE_LIMIT_REASON)
  .nullable();

/** Custom request headers: not the platform's (webhook-*, content-type, …), one-line values; null = none. */
const CUSTOM_HEADERS = z
  .record(
    z
      .string()
      .regex(HEADER_NAME_PATTERN, { error: 'is not a valid header name', abort: true })
      .refine((name) => !isReservedHeader(name), 'is set by the platform and cannot be overridden'),
    z
      .string({ error: 'must be a string' })
      .refine((value) => value.length <= HEADER_VALUE_MAX_LENGTH && !hasControlCharacter(value), `must be one line of at most ${HEADER_VALUE_MAX_LENGTH} characters`),
    { error: 'must be an object of header names to values' },
  )
  .refine((headers) => Object.keys(headers).length <= MAX_CUSTOM_HEADERS, `must have at most ${MAX_CUSTOM_HEADERS} headers`)
  .nullable();

const OWNER_MEMBER_ID = z.string({ error: 'must be a member id' });

/** `POST /v1/webhooks`. */
export const CREATE_WEBHOOK = apiShape(
  'CreateWebhookDto',
  z.strictObject({
    name: NAME.meta({ example: 'CRM sync' }),
    description: DESCRIPTION.optional(),
    url: WEBHOOK_URL.meta({ example: 'https://hooks.example.com/harmony/6f1e4d8e' }),
    events: EVENT_SELECTION_INPUT,
    enabled: ENABLED.optional().meta({ default: true }),
    rateLimitPerSecond: RATE_LIMIT.optional().describe('Max requests per second to this endpoint; null = default.'),
    headers: CUSTOM_HEADERS.optional().describe('Extra request headers (not webhook-*).'),
  }),
);
export type CreateWebhookInput = z.infer<typeof CREATE_WEBHOOK>;

/** `PATCH /v1/webhooks/{id}`: the fields to change. */
export const UPDATE_WEBHOOK = apiShape(
  'UpdateWebhookDto',
  z.strictObject({
    name: NAME.optional(),
    description: DESCRIPTION.optional(),
    url: WEBHOOK_URL.optional(),
    events: EVENT_SELECTION_INPUT.optional(),
    enabled: ENABLED.optional().describe('false disables the webhook temporarily; true re-enables it.'),
    rateLimitPerSecond: RATE_LIMIT.optional(),
    headers: CUSTOM_HEADERS.optional(),
    ownerMemberId: OWNER_MEMBER_ID.optional().describe('Admins only: hand the webhook to another active member.'),
  }),
);
export type UpdateWebhookInput = z.infer<typeof UPDATE_WEBHOOK>;

const SINCE_REQUIRED = 'is required (ISO 8601 time)';

/** `POST /v1/webhooks/{id}/recover` (other fields are ignored). */
export const RECOVER = apiShape(
  'RecoverDto',
  z.looseObject({
    since: z
      .string({ error: (issue) => (issue.input === undefined || issue.input === null ? SINCE_REQUIRED : 'must be an ISO 8601 time') })
      .min(1, { error: SINCE_REQUIRED, abort: true })
      .refine((since) => !Number.isNaN(Date.parse(since)), 'must be an ISO 8601 time')
      .meta({ format: 'date-time', description: 'Re-queue every event whose delivery failed since this time.' }),
  }),
);
export type RecoverInput = z.infer<typeof RECOVER>;

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
