import { nullable, objectSchema, stringEnumSchema } from '../../schema/json-schema';
import { defineEvent } from '../event-definition';
import { changesSchema, type Changes } from '../shared/changes.schema';
import { ACTOR_SCHEMA, EXAMPLE_ACTOR, type UserRef } from '../shared/user-ref.schema';
import {
  EXAMPLE_WORKSPACE_USER,
  WORKSPACE_ROLE_SCHEMA,
  WORKSPACE_USER_FIELD_NAMES,
  WORKSPACE_USER_SCHEMA,
  type WorkspaceRole,
  type WorkspaceUser,
} from '../shared/workspace-user.schema';

export const USER_ADDED_VIA = ['invitation', 'sso', 'scim', 'domain_join'] as const;
export type UserAddedVia = (typeof USER_ADDED_VIA)[number];

export interface UserAddedData { user: WorkspaceUser; addedVia: UserAddedVia; actor: UserRef | null }
export interface UserUpdatedData { user: WorkspaceUser; changes: Changes<WorkspaceUser>; actor: UserRef | null }
export interface UserRoleChangedData { user: WorkspaceUser; previousRole: WorkspaceRole; role: WorkspaceRole; actor: UserRef | null }
export interface UserDeactivatedData { user: WorkspaceUser; reason: string | null; actor: UserRef | null }
export interface UserRemovedData { user: WorkspaceUser; actor: UserRef | null }

// Membership and roles are administrative data: admins only, by default.
const ACCESS = 'admin' as const;

export const USER_ADDED = defineEvent<UserAddedData>()({
  type: 'user.added',
  category: 'user',
  description: 'A user joined the workspace (invitation, SSO, SCIM or domain join).',
  access: ACCESS,
  schema: objectSchema({ user: WORKSPACE_USER_SCHEMA, addedVia: stringEnumSchema(USER_ADDED_VIA), actor: ACTOR_SCHEMA }),
  example: {
    user: { ...EXAMPLE_WORKSPACE_USER, updatedAt: EXAMPLE_WORKSPACE_USER.createdAt },
    addedVia: 'invitation',
    actor: EXAMPLE_ACTOR,
  },
});

export const USER_UPDATED = defineEvent<UserUpdatedData>()({
  type: 'user.updated',
  category: 'user',
  description: "A user's profile or teams changed; includes the previous values.",
  access: ACCESS,
  schema: objectSchema({ user: WORKSPACE_USER_SCHEMA, changes: changesSchema(WORKSPACE_USER_FIELD_NAMES), actor: ACTOR_SCHEMA }),
  example: {
    user: EXAMPLE_WORKSPACE_USER,
    changes: {
      title: { previous: 'Sales Development Representative', current: 'Account Executive' },
      teamIds: { previous: [], current: ['team_01JNDQ5E80S8QXPN12HE6FZNP9'] },
    },
    actor: EXAMPLE_ACTOR,
  },
});

export const USER_ROLE_CHANGED = defineEvent<UserRoleChangedData>()({
  type: 'user.role_changed',
  category: 'user',
  description: "A user's workspace role changed (e.g. member → admin).",
  access: ACCESS,
  schema: objectSchema({
    user: WORKSPACE_USER_SCHEMA,
    previousRole: WORKSPACE_ROLE_SCHEMA,
    role: WORKSPACE_ROLE_SCHEMA,
    actor: ACTOR_SCHEMA,
  }),
  example: {
    user: { ...EXAMPLE_WORKSPACE_USER, role: 'admin' },
    previousRole: 'member',
    role: 'admin',
    actor: EXAMPLE_ACTOR,
  },
});

export const USER_DEACTIVATED = defineEvent<UserDeactivatedData>()({
  type: 'user.deactivated',
  category: 'user',
  description: 'A user was deactivated and can no longer sign in; their data stays.',
  access: ACCESS,
  schema: objectSchema({
    user: WORKSPACE_USER_SCHEMA,
    reason: nullable({ type: 'string', maxLength: 500 }),
    actor: ACTOR_SCHEMA,
  }),
  example: {
    user: { ...EXAMPLE_WORKSPACE_USER, status: 'deactivated' },
    reason: 'Left the company on 2025-03-14.',
    actor: EXAMPLE_ACTOR,
  },
});

export const USER_REMOVED = defineEvent<UserRemovedData>()({
  type: 'user.removed',
  category: 'user',
  description: 'A user was removed from the workspace.',
  access: ACCESS,
  schema: objectSchema({ user: WORKSPACE_USER_SCHEMA, actor: ACTOR_SCHEMA }),
  example: { user: { ...EXAMPLE_WORKSPACE_USER, status: 'deactivated' }, actor: EXAMPLE_ACTOR },
});

/** User events in catalog order. */
export const USER_EVENTS = [USER_ADDED, USER_UPDATED, USER_ROLE_CHANGED, USER_DEACTIVATED, USER_REMOVED] as const;
