import {
  DATE_TIME_SCHEMA,
  NON_EMPTY_STRING_SCHEMA,
  objectSchema,
  prefixedIdSchema,
  URI_SCHEMA,
} from '../../schema/json-schema';
import { ID_PREFIXES } from '../../schema/ids';
import { defineEvent } from '../event-definition';
import { changesSchema, type Changes } from '../shared/changes.schema';
import { EXAMPLE_PROJECT, PROJECT_FIELD_NAMES, PROJECT_SCHEMA, type Project } from '../shared/project.schema';
import { ACTOR_SCHEMA, EXAMPLE_ACTOR, type UserRef } from '../shared/user-ref.schema';

/** One run of insight generation over a project's conversations. */
export interface InsightRun {
  id: string;
  startedAt: string;
  conversationCount: number;
}

export interface InsightRunCompleted extends InsightRun {
  completedAt: string;
  insightCount: number;
  reportUrl: string;
}

export interface InsightRunFailed extends InsightRun {
  failedAt: string;
}

/** Why a run failed; `retryable` tells whether starting it again may help. */
export interface InsightRunError {
  code: 'model_unavailable' | 'quota_exceeded' | 'no_conversations' | 'timeout' | 'internal_error';
  message: string;
  retryable: boolean;
}

const INSIGHT_RUN_ID_SCHEMA = prefixedIdSchema(ID_PREFIXES.insightRun, 'Insight generation run id');

const RUN_PROPERTIES = {
  id: INSIGHT_RUN_ID_SCHEMA,
  startedAt: DATE_TIME_SCHEMA,
  conversationCount: { type: 'integer', minimum: 0 },
};

const INSIGHT_RUN_ERROR_SCHEMA = objectSchema(
  {
    code: {
      type: 'string',
      enum: ['model_unavailable', 'quota_exceeded', 'no_conversations', 'timeout', 'internal_error'],
    },
    message: NON_EMPTY_STRING_SCHEMA,
    retryable: { type: 'boolean' },
  },
  { title: 'InsightRunError' },
);

const EXAMPLE_RUN: InsightRun = {
  id: 'igr_01JNN7FW00S5SQYDX0DCMJ4SWQ',
  startedAt: '2025-03-13T10:28:02.000Z',
  conversationCount: 48,
};

export interface ProjectCreatedData { project: Project; actor: UserRef | null }
export interface ProjectUpdatedData { project: Project; changes: Changes<Project>; actor: UserRef | null }
export interface ProjectDeletedData { project: Project; actor: UserRef | null }
export interface ProjectInsightGenerationStartedData { project: Project; run: InsightRun; actor: UserRef | null }
export interface ProjectInsightGenerationCompletedData { project: Project; run: InsightRunCompleted }
export interface ProjectInsightGenerationFailedData { project: Project; run: InsightRunFailed; error: InsightRunError }

export const PROJECT_CREATED = defineEvent<ProjectCreatedData>()({
  type: 'project.created',
  category: 'project',
  description: 'An Insight project was created.',
  access: 'workspace',
  schema: objectSchema({ project: PROJECT_SCHEMA, actor: ACTOR_SCHEMA }),
  example: { project: { ...EXAMPLE_PROJECT, conversationCount: 0 }, actor: EXAMPLE_ACTOR },
});

export const PROJECT_UPDATED = defineEvent<ProjectUpdatedData>()({
  type: 'project.updated',
  category: 'project',
  description: "An Insight project's details changed; includes the previous values.",
  access: 'workspace',
  schema: objectSchema({ project: PROJECT_SCHEMA, changes: changesSchema(PROJECT_FIELD_NAMES), actor: ACTOR_SCHEMA }),
  example: {
    project: EXAMPLE_PROJECT,
    changes: {
      name: { previous: 'Pilot churn', current: 'Why do logistics prospects stall after the pilot?' },
      conversationCount: { previous: 31, current: 48 },
    },
    actor: EXAMPLE_ACTOR,
  },
});

export const PROJECT_DELETED = defineEvent<ProjectDeletedData>()({
  type: 'project.deleted',
  category: 'project',
  description: 'An Insight project was deleted.',
  access: 'workspace',
  schema: objectSchema({ project: PROJECT_SCHEMA, actor: ACTOR_SCHEMA }),
  example: { project: { ...EXAMPLE_PROJECT, status: 'archived' }, actor: EXAMPLE_ACTOR },
});

export const PROJECT_INSIGHT_GENERATION_STARTED = defineEvent<ProjectInsightGenerationStartedData>()({
  type: 'project.insight_generation_started',
  category: 'project',
  description: "Harmony started generating insights across a project's conversations.",
  access: 'workspace',
  schema: objectSchema({ project: PROJECT_SCHEMA, run: objectSchema(RUN_PROPERTIES), actor: ACTOR_SCHEMA }),
  example: { project: EXAMPLE_PROJECT, run: EXAMPLE_RUN, actor: EXAMPLE_ACTOR },
});

export const PROJECT_INSIGHT_GENERATION_COMPLETED = defineEvent<ProjectInsightGenerationCompletedData>()({
  type: 'project.insight_generation_completed',
  category: 'project',
  description: 'Insight generation finished; the report is ready.',
  access: 'workspace',
  schema: objectSchema({
    project: PROJECT_SCHEMA,
    run: objectSchema({
      ...RUN_PROPERTIES,
      completedAt: DATE_TIME_SCHEMA,
      insightCount: { type: 'integer', minimum: 0 },
      reportUrl: URI_SCHEMA,
    }),
  }),
  example: {
    project: EXAMPLE_PROJECT,
    run: {
      ...EXAMPLE_RUN,
      completedAt: '2025-03-13T10:41:19.000Z',
      insightCount: 12,
      reportUrl: 'https://app.harmony.app/ws_01JNC73BG0DASM3JC3DDJK4SR8/projects/prj_01JNF77H00Q31Q7YME37HH3G91/insights/igr_01JNN7FW00S5SQYDX0DCMJ4SWQ',
    },
  },
});

export const PROJECT_INSIGHT_GENERATION_FAILED = defineEvent<ProjectInsightGenerationFailedData>()({
  type: 'project.insight_generation_failed',
  category: 'project',
  description: 'Insight generation failed; includes an error code and message.',
  access: 'workspace',
  schema: objectSchema({
    project: PROJECT_SCHEMA,
    run: objectSchema({ ...RUN_PROPERTIES, failedAt: DATE_TIME_SCHEMA }),
    error: INSIGHT_RUN_ERROR_SCHEMA,
  }),
  example: {
    project: EXAMPLE_PROJECT,
    run: { ...EXAMPLE_RUN, failedAt: '2025-03-13T10:34:50.000Z' },
    error: {
      code: 'quota_exceeded',
      message: 'The workspace has used its 50 insight runs for March 2025. Runs reset on 2025-04-01.',
      retryable: false,
    },
  },
});

/** Project events in catalog order. */
export const PROJECT_EVENTS = [
  PROJECT_CREATED,
  PROJECT_UPDATED,
  PROJECT_DELETED,
  PROJECT_INSIGHT_GENERATION_STARTED,
  PROJECT_INSIGHT_GENERATION_COMPLETED,
  PROJECT_INSIGHT_GENERATION_FAILED,
] as const;
