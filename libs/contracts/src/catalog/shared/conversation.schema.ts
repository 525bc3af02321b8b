import {
  arraySchema,
  DATE_TIME_SCHEMA,
  EMAIL_SCHEMA,
  NON_EMPTY_STRING_SCHEMA,
  nullable,
  objectSchema,
  stringEnumSchema,
  URI_SCHEMA,
  type JsonSchema,
} from '../../schema/json-schema';
import {
  ACCOUNT_ID_SCHEMA,
  CONTACT_ID_SCHEMA,
  CONVERSATION_ID_SCHEMA,
  TEAM_ID_SCHEMA,
  USER_ID_SCHEMA,
} from '../../schema/ids';

export const CONVERSATION_CHANNELS = ['video', 'phone', 'in_person'] as const;
export type ConversationChannel = (typeof CONVERSATION_CHANNELS)[number];

/**
 * `workspace`: every member sees it. `participants`: only its internal
 * participants, its owner, the teams it is shared with (and admins).
 */
export const CONVERSATION_VISIBILITIES = ['workspace', 'participants'] as const;
export type ConversationVisibility = (typeof CONVERSATION_VISIBILITIES)[number];

export interface ConversationParticipant {
  name: string;
  email: string | null;
  /** Set for workspace users; `null` for external people. */
  userId: string | null;
  /** Set when the external person is a known contact. */
  contactId: string | null;
  role: 'host' | 'internal' | 'external';
}

/** A recorded conversation (call or meeting) as sent in conversation.* events. */
export interface Conversation {
  id: string;
  title: string;
  channel: ConversationChannel;
  language: string | null;
  visibility: ConversationVisibility;
  ownerId: string;
  participants: ConversationParticipant[];
  sharedWithTeamIds: string[];
  sharedWithUserIds: string[];
  accountId: string | null;
  scheduledAt: string | null;
  startedAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  url: string;
  createdAt: string;
  updatedAt: string;
}

export const CONVERSATION_PARTICIPANT_SCHEMA: JsonSchema = objectSchema(
  {
    name: NON_EMPTY_STRING_SCHEMA,
    email: nullable(EMAIL_SCHEMA),
    userId: nullable(USER_ID_SCHEMA),
    contactId: nullable(CONTACT_ID_SCHEMA),
    role: stringEnumSchema(['host', 'internal', 'external']),
  },
  { title: 'ConversationParticipant' },
);

const CONVERSATION_PROPERTIES: Record<keyof Conversation, JsonSchema> = {
  id: CONVERSATION_ID_SCHEMA,
  title: NON_EMPTY_STRING_SCHEMA,
  channel: stringEnumSchema(CONVERSATION_CHANNELS),
  language: nullable({ type: 'string', pattern: '^[a-z]{2,3}(-[A-Z]{2})?$', description: 'BCP 47 tag, e.g. en-US.' }),
  visibility: stringEnumSchema(CONVERSATION_VISIBILITIES),
  ownerId: USER_ID_SCHEMA,
  participants: arraySchema(CONVERSATION_PARTICIPANT_SCHEMA),
  sharedWithTeamIds: arraySchema(TEAM_ID_SCHEMA, { uniqueItems: true }),
  sharedWithUserIds: arraySchema(USER_ID_SCHEMA, { uniqueItems: true }),
  accountId: nullable(ACCOUNT_ID_SCHEMA),
  scheduledAt: nullable(DATE_TIME_SCHEMA),
  startedAt: nullable(DATE_TIME_SCHEMA),
  endedAt: nullable(DATE_TIME_SCHEMA),
  durationSeconds: nullable({ type: 'integer', minimum: 0 }),
  url: { ...URI_SCHEMA, description: 'Link to the conversation in Harmony.' },
  createdAt: DATE_TIME_SCHEMA,
  updatedAt: DATE_TIME_SCHEMA,
};

export const CONVERSATION_FIELD_NAMES = Object.keys(CONVERSATION_PROPERTIES) as (keyof Conversation)[];

export const CONVERSATION_SCHEMA: JsonSchema = objectSchema(CONVERSATION_PROPERTIES, {
  title: 'Conversation',
  description: 'A recorded call or meeting with its participants and visibility.',
});

/** A finished, private conversation: the basis of most conversation examples. */
export const EXAMPLE_CONVERSATION: Conversation = {
  id: 'cv_01JNEF6FM0W2BNEPSDRWGCCCHX',
  title: 'Acme Logistics — Q2 renewal and fleet rollout',
  channel: 'video',
  language: 'en-US',
  visibility: 'participants',
  ownerId: 'usr_01JN96Z600Q5CGWQT5XDV1KWX9',
  participants: [
    { name: 'Maya Lindqvist', email: 'maya.lindqvist@northwind.io', userId: 'usr_01JN96Z600Q5CGWQT5XDV1KWX9', contactId: null, role: 'host' },
    { name: 'Daniel Okafor', email: 'daniel.okafor@northwind.io', userId: 'usr_01JN9Z07C09WZYQC0YGKEVJGTP', contactId: null, role: 'internal' },
    { name: 'Priya Raman', email: 'priya.raman@acmelogistics.com', userId: null, contactId: 'ct_01JNAQ18R0CAVJ0824N99C189A', role: 'external' },
  ],
  sharedWithTeamIds: ['team_01JNDQ5E80S8QXPN12HE6FZNP9'],
  sharedWithUserIds: [],
  accountId: 'acc_01JNBF2A402MQ80H4NHSJMV5W9',
  scheduledAt: '2025-03-12T15:00:00.000Z',
  startedAt: '2025-03-12T15:01:47.000Z',
  endedAt: '2025-03-12T15:44:09.000Z',
  durationSeconds: 2542,
  url: 'https://app.harmony.app/ws_01JNC73BG0DASM3JC3DDJK4SR8/conversations/cv_01JNEF6FM0W2BNEPSDRWGCCCHX',
  createdAt: '2025-03-10T11:20:31.000Z',
  updatedAt: '2025-03-12T15:44:10.000Z',
};
