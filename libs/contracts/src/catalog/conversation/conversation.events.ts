import {
  arraySchema,
  DATE_TIME_SCHEMA,
  EMAIL_SCHEMA,
  NON_EMPTY_STRING_SCHEMA,
  nullable,
  objectSchema,
  prefixedIdSchema,
  stringEnumSchema,
  URI_SCHEMA,
} from '../../schema/json-schema';
import { ID_PREFIXES, TEAM_ID_SCHEMA, USER_ID_SCHEMA } from '../../schema/ids';
import { defineEvent } from '../event-definition';
import { changesSchema, type Changes } from '../shared/changes.schema';
import {
  CONVERSATION_FIELD_NAMES,
  CONVERSATION_SCHEMA,
  EXAMPLE_CONVERSATION,
  type Conversation,
} from '../shared/conversation.schema';
import { ACTOR_SCHEMA, EXAMPLE_ACTOR, EXAMPLE_OTHER_USER, type UserRef } from '../shared/user-ref.schema';

export interface Recording {
  id: string;
  url: string;
  mimeType: 'video/mp4' | 'audio/mpeg' | 'audio/wav';
  durationSeconds: number;
  sizeBytes: number;
  startedAt: string;
  endedAt: string;
}

export interface Transcript {
  id: string;
  language: string;
  url: string;
  speakerCount: number;
  wordCount: number;
}

export interface Summary {
  id: string;
  text: string;
  keyPoints: string[];
  actionItems: { text: string; assigneeId: string | null }[];
  topics: string[];
}

export interface ConversationShare {
  userIds: string[];
  teamIds: string[];
  emails: string[];
}

const RECORDING_SCHEMA = objectSchema(
  {
    id: prefixedIdSchema(ID_PREFIXES.recording),
    url: { ...URI_SCHEMA, description: 'Authenticated link to the recording in Harmony.' },
    mimeType: stringEnumSchema(['video/mp4', 'audio/mpeg', 'audio/wav']),
    durationSeconds: { type: 'integer', minimum: 0 },
    sizeBytes: { type: 'integer', minimum: 0 },
    startedAt: DATE_TIME_SCHEMA,
    endedAt: DATE_TIME_SCHEMA,
  },
  { title: 'Recording' },
);

const TRANSCRIPT_SCHEMA = objectSchema(
  {
    id: prefixedIdSchema(ID_PREFIXES.transcript),
    language: { type: 'string', pattern: '^[a-z]{2,3}(-[A-Z]{2})?$' },
    url: URI_SCHEMA,
    speakerCount: { type: 'integer', minimum: 0 },
    wordCount: { type: 'integer', minimum: 0 },
  },
  { title: 'Transcript' },
);

const SUMMARY_SCHEMA = objectSchema(
  {
    id: prefixedIdSchema(ID_PREFIXES.summary),
    text: NON_EMPTY_STRING_SCHEMA,
    keyPoints: arraySchema(NON_EMPTY_STRING_SCHEMA),
    actionItems: arraySchema(
      objectSchema({ text: NON_EMPTY_STRING_SCHEMA, assigneeId: nullable(USER_ID_SCHEMA) }),
    ),
    topics: arraySchema(NON_EMPTY_STRING_SCHEMA, { uniqueItems: true }),
  },
  { title: 'Summary' },
);

const SHARE_SCHEMA = objectSchema(
  {
    userIds: arraySchema(USER_ID_SCHEMA, { uniqueItems: true }),
    teamIds: arraySchema(TEAM_ID_SCHEMA, { uniqueItems: true }),
    emails: arraySchema(EMAIL_SCHEMA, { uniqueItems: true }),
  },
  { title: 'ConversationShare', description: 'Who the conversation was just shared with.' },
);

const EXAMPLE_RECORDING: Recording = {
  id: 'rec_01JNJZCQW06NX4DNRNZKV78Y0X',
  url: 'https://app.harmony.app/ws_01JNC73BG0DASM3JC3DDJK4SR8/conversations/cv_01JNEF6FM0W2BNEPSDRWGCCCHX/recording',
  mimeType: 'video/mp4',
  durationSeconds: 2542,
  sizeBytes: 412_338_176,
  startedAt: '2025-03-12T15:01:47.000Z',
  endedAt: '2025-03-12T15:44:09.000Z',
};

/** The same conversation while it is still being recorded. */
const LIVE_CONVERSATION: Conversation = {
  ...EXAMPLE_CONVERSATION,
  endedAt: null,
  durationSeconds: null,
  updatedAt: '2025-03-12T15:01:47.000Z',
};

export interface ConversationCreatedData { conversation: Conversation; actor: UserRef | null }
export interface ConversationRecordingStartedData { conversation: Conversation; recordingStartedAt: string }
export interface ConversationRecordedData { conversation: Conversation; recording: Recording }
export interface ConversationTranscriptReadyData { conversation: Conversation; transcript: Transcript }
export interface ConversationSummaryReadyData { conversation: Conversation; summary: Summary }
export interface ConversationProcessedData {
  conversation: Conversation;
  recordingId: string;
  transcriptId: string;
  summaryId: string;
  processedAt: string;
}
export interface ConversationUpdatedData { conversation: Conversation; changes: Changes<Conversation>; actor: UserRef | null }
export interface ConversationSharedData { conversation: Conversation; sharedWith: ConversationShare; actor: UserRef | null }
export interface ConversationDeletedData { conversation: Conversation; actor: UserRef | null }
export interface ConversationRestoredData { conversation: Conversation; actor: UserRef | null }

// Conversations may be private: by default an event is visible to whoever may see the conversation.
const ACCESS = 'participants' as const;

export const CONVERSATION_CREATED = defineEvent<ConversationCreatedData>()({
  type: 'conversation.created',
  category: 'conversation',
  description: 'A conversation was scheduled or created (before any recording).',
  access: ACCESS,
  schema: objectSchema({ conversation: CONVERSATION_SCHEMA, actor: ACTOR_SCHEMA }),
  example: {
    conversation: {
      ...EXAMPLE_CONVERSATION,
      startedAt: null,
      endedAt: null,
      durationSeconds: null,
      updatedAt: EXAMPLE_CONVERSATION.createdAt,
    },
    actor: EXAMPLE_ACTOR,
  },
});

export const CONVERSATION_RECORDING_STARTED = defineEvent<ConversationRecordingStartedData>()({
  type: 'conversation.recording_started',
  category: 'conversation',
  description: 'Harmony started recording a conversation.',
  access: ACCESS,
  schema: objectSchema({ conversation: CONVERSATION_SCHEMA, recordingStartedAt: DATE_TIME_SCHEMA }),
  example: { conversation: LIVE_CONVERSATION, recordingStartedAt: '2025-03-12T15:01:47.000Z' },
});

export const CONVERSATION_RECORDED = defineEvent<ConversationRecordedData>()({
  type: 'conversation.recorded',
  category: 'conversation',
  description: 'A recording finished and is available; includes duration, participants and the recording link.',
  access: ACCESS,
  schema: objectSchema({ conversation: CONVERSATION_SCHEMA, recording: RECORDING_SCHEMA }),
  example: { conversation: EXAMPLE_CONVERSATION, recording: EXAMPLE_RECORDING },
});

export const CONVERSATION_TRANSCRIPT_READY = defineEvent<ConversationTranscriptReadyData>()({
  type: 'conversation.transcript_ready',
  category: 'conversation',
  description: 'The transcript of a conversation is ready.',
  access: ACCESS,
  schema: objectSchema({ conversation: CONVERSATION_SCHEMA, transcript: TRANSCRIPT_SCHEMA }),
  example: {
    conversation: EXAMPLE_CONVERSATION,
    transcript: {
      id: 'trs_01JNKQDS80JA1V7GCECBYRGR4X',
      language: 'en-US',
      url: 'https://app.harmony.app/ws_01JNC73BG0DASM3JC3DDJK4SR8/conversations/cv_01JNEF6FM0W2BNEPSDRWGCCCHX/transcript',
      speakerCount: 3,
      wordCount: 6184,
    },
  },
});

export const CONVERSATION_SUMMARY_READY = defineEvent<ConversationSummaryReadyData>()({
  type: 'conversation.summary_ready',
  category: 'conversation',
  description: 'The AI summary, key points and action items of a conversation are ready.',
  access: ACCESS,
  schema: objectSchema({ conversation: CONVERSATION_SCHEMA, summary: SUMMARY_SCHEMA }),
  example: {
    conversation: EXAMPLE_CONVERSATION,
    summary: {
      id: 'sum_01JNMFETM0JCYHZS0QA5NN1126',
      text: 'Acme wants to extend the pilot to all 40 depots before renewing. Budget is approved for Q2; legal review of the DPA is the main blocker.',
      keyPoints: ['Pilot succeeded in 3 depots', 'Rollout to 40 depots planned for Q2', 'DPA review pending with Acme legal'],
      actionItems: [
        { text: 'Send the updated DPA to Acme legal', assigneeId: 'usr_01JN96Z600Q5CGWQT5XDV1KWX9' },
        { text: 'Share rollout plan with Priya', assigneeId: 'usr_01JN9Z07C09WZYQC0YGKEVJGTP' },
      ],
      topics: ['renewal', 'rollout', 'legal'],
    },
  },
});

export const CONVERSATION_PROCESSED = defineEvent<ConversationProcessedData>()({
  type: 'conversation.processed',
  category: 'conversation',
  description: 'All processing of a conversation (recording, transcript, summary) is complete.',
  access: ACCESS,
  schema: objectSchema({
    conversation: CONVERSATION_SCHEMA,
    recordingId: prefixedIdSchema(ID_PREFIXES.recording),
    transcriptId: prefixedIdSchema(ID_PREFIXES.transcript),
    summaryId: prefixedIdSchema(ID_PREFIXES.summary),
    processedAt: DATE_TIME_SCHEMA,
  }),
  example: {
    conversation: EXAMPLE_CONVERSATION,
    recordingId: 'rec_01JNJZCQW06NX4DNRNZKV78Y0X',
    transcriptId: 'trs_01JNKQDS80JA1V7GCECBYRGR4X',
    summaryId: 'sum_01JNMFETM0JCYHZS0QA5NN1126',
    processedAt: '2025-03-12T15:52:31.000Z',
  },
});

export const CONVERSATION_UPDATED = defineEvent<ConversationUpdatedData>()({
  type: 'conversation.updated',
  category: 'conversation',
  description: "A conversation's details (title, account, visibility…) changed; includes the previous values.",
  access: ACCESS,
  schema: objectSchema({
    conversation: CONVERSATION_SCHEMA,
    changes: changesSchema(CONVERSATION_FIELD_NAMES),
    actor: ACTOR_SCHEMA,
  }),
  example: {
    conversation: EXAMPLE_CONVERSATION,
    changes: {
      title: { previous: 'Acme sync', current: 'Acme Logistics — Q2 renewal and fleet rollout' },
      accountId: { previous: null, current: 'acc_01JNBF2A402MQ80H4NHSJMV5W9' },
    },
    actor: EXAMPLE_ACTOR,
  },
});

export const CONVERSATION_SHARED = defineEvent<ConversationSharedData>()({
  type: 'conversation.shared',
  category: 'conversation',
  description: 'A conversation was shared with users, teams or by email.',
  access: ACCESS,
  schema: objectSchema({ conversation: CONVERSATION_SCHEMA, sharedWith: SHARE_SCHEMA, actor: ACTOR_SCHEMA }),
  example: {
    conversation: { ...EXAMPLE_CONVERSATION, sharedWithUserIds: ['usr_01JNCZ4CW02XHA5Z9NNT3JRCXJ'] },
    sharedWith: { userIds: ['usr_01JNCZ4CW02XHA5Z9NNT3JRCXJ'], teamIds: [], emails: ['cfo@acmelogistics.com'] },
    actor: EXAMPLE_ACTOR,
  },
});

export const CONVERSATION_DELETED = defineEvent<ConversationDeletedData>()({
  type: 'conversation.deleted',
  category: 'conversation',
  description: 'A conversation and its recording were deleted (restorable for 30 days).',
  access: ACCESS,
  schema: objectSchema({ conversation: CONVERSATION_SCHEMA, actor: ACTOR_SCHEMA }),
  example: { conversation: EXAMPLE_CONVERSATION, actor: EXAMPLE_ACTOR },
});

export const CONVERSATION_RESTORED = defineEvent<ConversationRestoredData>()({
  type: 'conversation.restored',
  category: 'conversation',
  description: 'A deleted conversation was restored.',
  access: ACCESS,
  schema: objectSchema({ conversation: CONVERSATION_SCHEMA, actor: ACTOR_SCHEMA }),
  example: { conversation: EXAMPLE_CONVERSATION, actor: EXAMPLE_OTHER_USER },
});

/** Conversation events in catalog order. */
export const CONVERSATION_EVENTS = [
  CONVERSATION_CREATED,
  CONVERSATION_RECORDING_STARTED,
  CONVERSATION_RECORDED,
  CONVERSATION_TRANSCRIPT_READY,
  CONVERSATION_SUMMARY_READY,
  CONVERSATION_PROCESSED,
  CONVERSATION_UPDATED,
  CONVERSATION_SHARED,
  CONVERSATION_DELETED,
  CONVERSATION_RESTORED,
] as const;
