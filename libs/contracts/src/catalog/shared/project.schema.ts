import {
  DATE_TIME_SCHEMA,
  NON_EMPTY_STRING_SCHEMA,
  nullable,
  objectSchema,
  stringEnumSchema,
  URI_SCHEMA,
  type JsonSchema,
} from '../../schema/json-schema';
import { PROJECT_ID_SCHEMA, USER_ID_SCHEMA } from '../../schema/ids';

export const PROJECT_STATUSES = ['active', 'archived'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/** An Insight project (a question asked across many conversations). */
export interface Project {
  id: string;
  name: string;
  description: string | null;
  status: ProjectStatus;
  ownerId: string;
  conversationCount: number;
  url: string;
  createdAt: string;
  updatedAt: string;
}

const PROJECT_PROPERTIES: Record<keyof Project, JsonSchema> = {
  id: PROJECT_ID_SCHEMA,
  name: NON_EMPTY_STRING_SCHEMA,
  description: nullable({ type: 'string' }),
  status: stringEnumSchema(PROJECT_STATUSES),
  ownerId: USER_ID_SCHEMA,
  conversationCount: { type: 'integer', minimum: 0 },
  url: { ...URI_SCHEMA, description: 'Link to the project in Harmony.' },
  createdAt: DATE_TIME_SCHEMA,
  updatedAt: DATE_TIME_SCHEMA,
};

export const PROJECT_FIELD_NAMES = Object.keys(PROJECT_PROPERTIES) as (keyof Project)[];

export const PROJECT_SCHEMA: JsonSchema = objectSchema(PROJECT_PROPERTIES, {
  title: 'Project',
  description: 'An Insight project that analyses a set of conversations.',
});

export const EXAMPLE_PROJECT: Project = {
  id: 'prj_01JNF77H00Q31Q7YME37HH3G91',
  name: 'Why do logistics prospects stall after the pilot?',
  description: 'Objections and blockers raised in post-pilot calls with logistics accounts, Q1 2025.',
  status: 'active',
  ownerId: 'usr_01JN96Z600Q5CGWQT5XDV1KWX9',
  conversationCount: 48,
  url: 'https://app.harmony.app/ws_01JNC73BG0DASM3JC3DDJK4SR8/projects/prj_01JNF77H00Q31Q7YME37HH3G91',
  createdAt: '2025-03-06T13:02:55.000Z',
  updatedAt: '2025-03-13T10:27:40.000Z',
};
