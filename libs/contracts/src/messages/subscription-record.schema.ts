import { WORKSPACE_ROLE_SCHEMA, type WorkspaceRole } from '../catalog/shared/workspace-user.schema';
import {
  arraySchema,
  DATE_TIME_SCHEMA,
  NON_EMPTY_STRING_SCHEMA,
  nullable,
  objectSchema,
  prefixedIdSchema,
  schemaDocument,
  URI_SCHEMA,
  type JsonSchema,
} from '../schema/json-schema';
import {
  EVENT_TYPE_PATTERN,
  ID_PREFIXES,
  MEMBER_ID_SCHEMA,
  SUBSCRIPTION_ID_SCHEMA,
  TEAM_ID_SCHEMA,
  USER_ID_SCHEMA,
  WORKSPACE_ID_SCHEMA,
} from '../schema/ids';

/** `whsec_` + base64 of at least 24 random bytes (32 base64 chars). */
export const SIGNING_SECRET_PATTERN = '^whsec_[A-Za-z0-9+/]{32,}={0,2}$';

export interface SigningSecret {
  id: string;
  secret: string;
  createdAt: string;
  /** `null` for the current secret; set on a rotated-out secret still accepted until then. */
  expiresAt: string | null;
}

/** The owner's access as of this record; fan-out checks every event against it. */
export interface SubscriptionOwner {
  memberId: string;
  userId: string;
  role: WorkspaceRole;
  teamIds: string[];
  /** A deactivated or removed owner's webhooks receive nothing. */
  active: boolean;
}

/**
 * Value on the compacted `webhooks.subscriptions` topic (key = subscription id).
 * A `null` value (tombstone) means the subscription was deleted. The snapshot
 * carries secrets so the delivery worker can sign without a database: the
 * topic must be ACL-restricted to the webhook services.
 */
export interface SubscriptionRecord {
  id: string;
  workspaceId: string;
  name: string;
  url: string;
  /** `'*'` = every event type, including ones added later. */
  eventTypes: '*' | string[];
  enabled: boolean;
  /** Why it is disabled (by a user, by 410 Gone, after 5 days of failures); `null` when enabled. */
  disabledReason: string | null;
  owner: SubscriptionOwner;
  /** Max requests per second to this endpoint; `null` = platform default. */
  rateLimitPerSecond: number | null;
  /** Extra request headers set by the user. */
  headers: Record<string, string>;
  /** Current secret first, then rotated-out secrets that have not expired. */
  secrets: SigningSecret[];
  /** Incremented on every change; consumers ignore a record older than the one they hold. */
  version: number;
  updatedAt: string;
}

/** Tombstone-aware value of the compacted topic. */
export type SubscriptionRecordValue = SubscriptionRecord | null;

export const SUBSCRIPTION_RECORD_SCHEMA: JsonSchema = schemaDocument(
  'messages/subscription-record.json',
  'SubscriptionRecord',
  objectSchema({
    id: SUBSCRIPTION_ID_SCHEMA,
    workspaceId: WORKSPACE_ID_SCHEMA,
    name: NON_EMPTY_STRING_SCHEMA,
    url: URI_SCHEMA,
    eventTypes: {
      // A plain pattern rather than the catalog enum: a record must stay readable after the catalog changes.
      anyOf: [{ const: '*' }, arraySchema({ type: 'string', pattern: EVENT_TYPE_PATTERN }, { uniqueItems: true })],
    },
    enabled: { type: 'boolean' },
    disabledReason: nullable({ type: 'string' }),
    owner: objectSchema({
      memberId: MEMBER_ID_SCHEMA,
      userId: USER_ID_SCHEMA,
      role: WORKSPACE_ROLE_SCHEMA,
      teamIds: arraySchema(TEAM_ID_SCHEMA, { uniqueItems: true }),
      active: { type: 'boolean' },
    }),
    rateLimitPerSecond: nullable({ type: 'number', exclusiveMinimum: 0 }),
    headers: {
      type: 'object',
      propertyNames: { pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$" },
      additionalProperties: { type: 'string' },
    },
    secrets: arraySchema(
      objectSchema({
        id: prefixedIdSchema(ID_PREFIXES.secret),
        secret: { type: 'string', pattern: SIGNING_SECRET_PATTERN },
        createdAt: DATE_TIME_SCHEMA,
        expiresAt: nullable(DATE_TIME_SCHEMA),
      }),
      { minItems: 1 },
    ),
    version: { type: 'integer', minimum: 1 },
    updatedAt: DATE_TIME_SCHEMA,
  }),
);
