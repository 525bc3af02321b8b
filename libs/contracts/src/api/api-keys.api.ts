import { z } from 'zod';
import { apiShape, DATE_TIME } from './api-schema';
import { NAME } from './webhook-input.api';
import { API_KEY_SCOPES } from './workspace-access';

const API_KEY_FIELDS = {
  id: z.string(),
  name: z.string(),
  memberId: z.string(),
  prefix: z.string().describe('First characters, to tell keys apart.').meta({ example: 'hwk_3q2Xb9Lk' }),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  createdAt: DATE_TIME,
  lastUsedAt: DATE_TIME.nullable(),
  revokedAt: DATE_TIME.nullable(),
};

export const API_KEY = apiShape('ApiKeyDto', z.object(API_KEY_FIELDS));
export type ApiKey = z.infer<typeof API_KEY>;

/** `GET /v1/api-keys`. */
export const API_KEY_LIST = apiShape('ApiKeyListDto', z.object({ data: z.array(API_KEY) }));
export type ApiKeyList = z.infer<typeof API_KEY_LIST>;

/** `POST /v1/api-keys`: the key itself, in this answer only. */
export const CREATED_API_KEY = apiShape(
  'CreatedApiKeyDto',
  z.object({ ...API_KEY_FIELDS, key: z.string().describe('Shown once: only its hash is stored.').meta({ example: 'hwk_…' }) }),
);
export type CreatedApiKey = z.infer<typeof CREATED_API_KEY>;

const SCOPES_REASON = 'must list at least one scope';

/** `POST /v1/api-keys` (other fields are ignored). */
export const CREATE_API_KEY = apiShape(
  'CreateApiKeyDto',
  z.looseObject({
    name: NAME.meta({ example: 'CI deploy' }),
    memberId: z.string({ error: 'must be a member id' }).optional().describe('Member the key acts as (default: the caller).'),
    scopes: z
      .array(z.enum(API_KEY_SCOPES, { error: `unknown scope; one of ${API_KEY_SCOPES.join(', ')}` }), { error: SCOPES_REASON })
      .min(1, SCOPES_REASON)
      .nullable()
      .optional()
      .describe('Default (absent or null): every scope.'),
  }),
);
export type CreateApiKeyInput = z.infer<typeof CREATE_API_KEY>;
