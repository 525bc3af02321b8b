import { z } from 'zod';
import { isKnownEventType } from '../catalog/event-catalog';
import { SIGNING_SECRET_PATTERN } from '../messages/subscription-record.schema';
import { apiShape } from './api-schema';
import { DELIVERY_ERROR } from './deliveries.api';
import { WEBHOOK_URL } from './webhook-input.api';

const EVENT_TYPE = z
  .string({ error: 'is required' })
  .min(1, { error: 'is required', abort: true })
  .refine(isKnownEventType, { error: (issue) => `unknown event type '${String(issue.input)}'` })
  .meta({ example: 'contact.created' });

/** `POST /v1/webhooks/{id}/test`: the event type whose catalog example is sent. */
export const TEST_WEBHOOK = apiShape('TestWebhookDto', z.strictObject({ eventType: EVENT_TYPE }));
export type TestWebhookInput = z.infer<typeof TEST_WEBHOOK>;

const SECRET_REASON = 'must be a whsec_ secret (whsec_ + base64 of at least 24 bytes)';

/** `POST /v1/webhooks/test`: a URL not saved yet. */
export const TEST_URL = apiShape(
  'TestUrlDto',
  z.strictObject({
    eventType: EVENT_TYPE,
    url: WEBHOOK_URL.meta({ example: 'https://hooks.example.com/harmony' }),
    secret: z
      .string({ error: SECRET_REASON })
      .regex(new RegExp(SIGNING_SECRET_PATTERN), SECRET_REASON)
      .optional()
      .describe('Sign with this whsec_ secret instead of a throwaway one.'),
  }),
);
export type TestUrlInput = z.infer<typeof TEST_URL>;

/** What the Test button answers (`POST /v1/webhooks/test`, `POST /v1/webhooks/{id}/test`). */
export const TEST_RESULT = apiShape(
  'TestResultDto',
  z.object({
    outcome: z.enum(['success', 'failure']),
    status: z.number().nullable(),
    latencyMs: z.number(),
    responseBody: z.string().nullable().describe('Start of the response body.'),
    error: DELIVERY_ERROR.nullable(),
    eventId: z.string().describe('The event id sent as webhook-id.'),
    signingSecret: z.string().optional().describe('URL test only: the secret the request was signed with.'),
  }),
);
export type TestResult = z.infer<typeof TEST_RESULT>;
