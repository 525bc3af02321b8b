import { prefixedIdSchema } from './json-schema';

/**
 * Id prefixes of Harmony entities. Ids are `<prefix>_<ULID>`: sortable by
 * creation time and self-describing in logs and support tickets.
 */
export const ID_PREFIXES = {
  event: 'evt',
  workspace: 'ws',
  user: 'usr',
  member: 'mem',
  team: 'team',
  contact: 'ct',
  account: 'acc',
  conversation: 'cv',
  recording: 'rec',
  transcript: 'trs',
  summary: 'sum',
  project: 'prj',
  insightRun: 'igr',
  tag: 'tag',
  subscription: 'sub',
  secret: 'sec',
  job: 'job',
  attempt: 'att',
  apiKey: 'key',
} as const;

export const WORKSPACE_ID_SCHEMA = prefixedIdSchema(ID_PREFIXES.workspace, 'Workspace id');
export const USER_ID_SCHEMA = prefixedIdSchema(ID_PREFIXES.user, 'User id');
export const MEMBER_ID_SCHEMA = prefixedIdSchema(ID_PREFIXES.member, 'Workspace membership id');
export const TEAM_ID_SCHEMA = prefixedIdSchema(ID_PREFIXES.team, 'Team id');
export const CONTACT_ID_SCHEMA = prefixedIdSchema(ID_PREFIXES.contact, 'Contact id');
export const ACCOUNT_ID_SCHEMA = prefixedIdSchema(ID_PREFIXES.account, 'Account id');
export const CONVERSATION_ID_SCHEMA = prefixedIdSchema(ID_PREFIXES.conversation, 'Conversation id');
export const PROJECT_ID_SCHEMA = prefixedIdSchema(ID_PREFIXES.project, 'Insight project id');
export const SUBSCRIPTION_ID_SCHEMA = prefixedIdSchema(ID_PREFIXES.subscription, 'Webhook subscription id');

/**
 * Accepted event ids: `evt_` + ULID (what Harmony services emit) or a UUID
 * (what generic producers posting to /v1/events usually have at hand).
 * Receivers dedupe on it, so it must be stable across retries.
 */
export const EVENT_ID_PATTERN =
  '^(evt_[0-9A-HJKMNP-TV-Z]{26}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$';

export const EVENT_ID_SCHEMA = {
  type: 'string',
  pattern: EVENT_ID_PATTERN,
  description: 'Event id: evt_ + ULID, or a UUID. Same on every delivery attempt.',
  examples: ['evt_01JN8EY4M01Q2JXEXGJAGNSW68', '3f0c8a52-6f1e-4d8e-9a57-2b1b6f0c9d41'],
} as const;

/** Event type names: `<category>.<action>`, lower snake case. */
export const EVENT_TYPE_PATTERN = '^[a-z]+\\.[a-z][a-z_]*$';
