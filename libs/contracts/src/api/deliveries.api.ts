import { z } from 'zod';
import { ATTEMPT_OUTCOMES } from '../messages/attempt-outcome';
import { apiShape, DATE_TIME } from './api-schema';

export const REQUESTED_BY = apiShape(
  'RequestedByDto',
  z.object({
    apiKeyId: z.string(),
    apiKeyName: z.string().meta({ example: 'Support console' }),
    memberId: z.string(),
  }),
);

export const DELIVERY_ERROR = apiShape(
  'DeliveryErrorDto',
  z.object({
    code: z.string().meta({ example: 'http_status' }),
    message: z.string(),
  }),
);

/** One delivery attempt in the log (`GET /v1/webhooks/{id}/deliveries[/{attemptId}]`, `GET /v1/events/{eventId}/deliveries`). */
export const DELIVERY = apiShape(
  'DeliveryDto',
  z.object({
    id: z.string().describe('The attempt id.'),
    webhookId: z.string().describe('The webhook the attempt went to.'),
    eventId: z.string(),
    eventType: z.string(),
    attempt: z.number(),
    outcome: z.enum(ATTEMPT_OUTCOMES),
    url: z.string(),
    httpStatus: z.number().nullable(),
    durationMs: z.number().nullable(),
    trigger: z
      .enum(['event', 'test', 'manual'])
      .describe('`event`: sent by the pipeline; `test`: the Test button; `manual`: a redelivery or recovery, `requestedBy` says who asked.'),
    requestedBy: REQUESTED_BY.nullable().describe('The API key that asked for a test or manual send.'),
    responseHeaders: z
      .record(z.string(), z.string())
      .nullable()
      .describe(
        "The receiver's response headers: at most 32 and 4 KiB, names lower-cased, credential values redacted; null without a response or on attempts logged before they were kept.",
      ),
    responseBody: z.string().nullable().describe('Up to 16 KiB.'),
    responseBodyTruncated: z.boolean(),
    error: DELIVERY_ERROR.nullable(),
    requestHeaders: z.record(z.string(), z.string()),
    requestBody: z
      .string()
      .nullable()
      .describe('The exact JSON body sent (and signed); null once the payload is past retention, or when the caller may not see the event now.'),
    requestBodyWithheld: z
      .string()
      .nullable()
      .describe('Why requestBody is withheld although kept: the caller may not see this event (any more). The row stays.')
      .meta({ example: 'withheld: your access does not include this user.updated event (admins only)' }),
    startedAt: DATE_TIME,
    finishedAt: DATE_TIME,
    nextAttemptAt: DATE_TIME.nullable(),
  }),
);
export type Delivery = z.infer<typeof DELIVERY>;

export const DELIVERY_PAGE = apiShape(
  'DeliveryPageDto',
  z.object({
    data: z.array(DELIVERY),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next (older) page; null on the last page.'),
  }),
);
export type DeliveryPage = z.infer<typeof DELIVERY_PAGE>;
