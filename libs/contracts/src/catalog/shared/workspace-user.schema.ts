import {
  arraySchema,
  DATE_TIME_SCHEMA,
  EMAIL_SCHEMA,
  NON_EMPTY_STRING_SCHEMA,
  nullable,
  objectSchema,
  stringEnumSchema,
  type JsonSchema,
} from '../../schema/json-schema';
import { TEAM_ID_SCHEMA, USER_ID_SCHEMA } from '../../schema/ids';

/** Workspace roles; `owner` and `admin` count as admins for `admin`-scoped events. */
export const WORKSPACE_ROLES = ['owner', 'admin', 'member'] as const;
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];
export const ADMIN_ROLES: readonly WorkspaceRole[] = ['owner', 'admin'];

export const WORKSPACE_ROLE_SCHEMA = stringEnumSchema(WORKSPACE_ROLES, 'Role of the user in the workspace.');

export const USER_STATUSES = ['invited', 'active', 'deactivated'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** A member of the workspace as sent in user.* events. */
export interface WorkspaceUser {
  id: string;
  name: string;
  email: string;
  role: WorkspaceRole;
  status: UserStatus;
  teamIds: string[];
  title: string | null;
  timeZone: string | null;
  createdAt: string;
  updatedAt: string;
}

const WORKSPACE_USER_PROPERTIES: Record<keyof WorkspaceUser, JsonSchema> = {
  id: USER_ID_SCHEMA,
  name: NON_EMPTY_STRING_SCHEMA,
  email: EMAIL_SCHEMA,
  role: WORKSPACE_ROLE_SCHEMA,
  status: stringEnumSchema(USER_STATUSES),
  teamIds: arraySchema(TEAM_ID_SCHEMA, { uniqueItems: true }),
  title: nullable({ type: 'string' }),
  timeZone: nullable({ type: 'string', description: 'IANA time zone, e.g. Europe/Stockholm.' }),
  createdAt: DATE_TIME_SCHEMA,
  updatedAt: DATE_TIME_SCHEMA,
};

export const WORKSPACE_USER_FIELD_NAMES = Object.keys(WORKSPACE_USER_PROPERTIES) as (keyof WorkspaceUser)[];

export const WORKSPACE_USER_SCHEMA: JsonSchema = objectSchema(WORKSPACE_USER_PROPERTIES, {
  title: 'WorkspaceUser',
  description: 'A user of the workspace with role, status and teams.',
});

export const EXAMPLE_WORKSPACE_USER: WorkspaceUser = {
  id: 'usr_01JNCZ4CW02XHA5Z9NNT3JRCXJ',
  name: 'Tomás Herrera',
  email: 'tomas.herrera@northwind.io',
  role: 'member',
  status: 'active',
  teamIds: ['team_01JNDQ5E80S8QXPN12HE6FZNP9'],
  title: 'Account Executive',
  timeZone: 'America/Mexico_City',
  createdAt: '2025-03-05T16:30:12.000Z',
  updatedAt: '2025-03-12T08:15:00.000Z',
};
