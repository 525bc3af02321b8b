import { z } from 'zod';
import { apiShape } from './api-schema';
import { DELIVERY_ERROR } from './deliveries.api';

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
