import { arraySchema, objectSchema, schemaDocument, type JsonSchema } from '../schema/json-schema';
import { TEAM_ID_SCHEMA, USER_ID_SCHEMA } from '../schema/ids';

/**
 * Who may see an event. A webhook only receives events its owner may see.
 *
 * - `workspace`: every active member of the workspace.
 * - `restricted`: workspace admins, the listed users and members of the listed teams.
 * - `admin`: workspace admins (and owners) only.
 */
export type Access =
  | { scope: 'workspace' }
  | { scope: 'restricted'; userIds: string[]; teamIds: string[] }
  | { scope: 'admin' };

export type AccessScope = Access['scope'];

export const ACCESS_SCOPES: readonly AccessScope[] = ['workspace', 'restricted', 'admin'];

/**
 * The default a catalog entry declares for `access` when the producer omits it.
 * `participants` is resolved from the conversation in the event data.
 */
export type AccessDefault = 'workspace' | 'admin' | 'participants';

export const WORKSPACE_ACCESS: Access = Object.freeze({ scope: 'workspace' });
export const ADMIN_ACCESS: Access = Object.freeze({ scope: 'admin' });

// One closed object per variant, dispatched on `scope` so errors name the right branch.
const RESTRICTED_SCHEMA = objectSchema({
  scope: { const: 'restricted' },
  userIds: arraySchema(USER_ID_SCHEMA, { uniqueItems: true }),
  teamIds: arraySchema(TEAM_ID_SCHEMA, { uniqueItems: true }),
});

export const ACCESS_SCHEMA: JsonSchema = schemaDocument('access.json', 'Access', {
  description: 'Who may see the event: workspace-wide, restricted to users/teams, or admin-only.',
  type: 'object',
  required: ['scope'],
  properties: { scope: { enum: [...ACCESS_SCOPES] } },
  allOf: [
    { if: { properties: { scope: { const: 'workspace' } } }, then: objectSchema({ scope: { const: 'workspace' } }) },
    { if: { properties: { scope: { const: 'restricted' } } }, then: RESTRICTED_SCHEMA },
    { if: { properties: { scope: { const: 'admin' } } }, then: objectSchema({ scope: { const: 'admin' } }) },
  ],
});

/** Fragment form (no `$id`) for embedding in the envelope schemas. */
export const ACCESS_FRAGMENT: JsonSchema = (() => {
  const { $schema: _dialect, $id: _id, ...fragment } = ACCESS_SCHEMA as Record<string, unknown>;
  return fragment;
})();
