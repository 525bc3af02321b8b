import { arraySchema, nullable, objectSchema } from '../../schema/json-schema';
import { ACCOUNT_ID_SCHEMA } from '../../schema/ids';
import { defineEvent } from '../event-definition';
import {
  ACCOUNT_FIELD_NAMES,
  ACCOUNT_SCHEMA,
  ACCOUNT_STAGE_SCHEMA,
  EXAMPLE_ACCOUNT,
  type Account,
  type AccountStage,
} from '../shared/account.schema';
import { changesSchema, type Changes } from '../shared/changes.schema';
import { ACTOR_SCHEMA, EXAMPLE_ACTOR, EXAMPLE_OTHER_USER, USER_REF_SCHEMA, type UserRef } from '../shared/user-ref.schema';

export interface AccountCreatedData { account: Account; actor: UserRef | null }
export interface AccountUpdatedData { account: Account; changes: Changes<Account>; actor: UserRef | null }
export interface AccountDeletedData { account: Account; actor: UserRef | null }
export interface AccountMergedData { account: Account; mergedAccountIds: string[]; actor: UserRef | null }
export interface AccountRestoredData { account: Account; actor: UserRef | null }
export interface AccountOwnerChangedData { account: Account; previousOwner: UserRef | null; owner: UserRef | null; actor: UserRef | null }
export interface AccountStageChangedData { account: Account; previousStage: AccountStage; stage: AccountStage; actor: UserRef | null }

export const ACCOUNT_CREATED = defineEvent<AccountCreatedData>()({
  type: 'account.created',
  category: 'account',
  description: 'An account (company) was created.',
  access: 'workspace',
  schema: objectSchema({ account: ACCOUNT_SCHEMA, actor: ACTOR_SCHEMA }),
  example: { account: { ...EXAMPLE_ACCOUNT, stage: 'prospect' }, actor: EXAMPLE_ACTOR },
});

export const ACCOUNT_UPDATED = defineEvent<AccountUpdatedData>()({
  type: 'account.updated',
  category: 'account',
  description: "An account's fields changed; includes the previous values.",
  access: 'workspace',
  schema: objectSchema({ account: ACCOUNT_SCHEMA, changes: changesSchema(ACCOUNT_FIELD_NAMES), actor: ACTOR_SCHEMA }),
  example: {
    account: EXAMPLE_ACCOUNT,
    changes: {
      employeeCount: { previous: 980, current: 1250 },
      industry: { previous: null, current: 'Transportation & Logistics' },
    },
    actor: EXAMPLE_ACTOR,
  },
});

export const ACCOUNT_DELETED = defineEvent<AccountDeletedData>()({
  type: 'account.deleted',
  category: 'account',
  description: 'An account was deleted (it can be restored for 30 days).',
  access: 'workspace',
  schema: objectSchema({ account: ACCOUNT_SCHEMA, actor: ACTOR_SCHEMA }),
  example: { account: EXAMPLE_ACCOUNT, actor: EXAMPLE_ACTOR },
});

export const ACCOUNT_MERGED = defineEvent<AccountMergedData>()({
  type: 'account.merged',
  category: 'account',
  description: 'Duplicate accounts were merged into one; the merged-away ids no longer exist.',
  access: 'workspace',
  schema: objectSchema({
    account: { ...ACCOUNT_SCHEMA, description: 'The surviving account, after the merge.' },
    mergedAccountIds: arraySchema(ACCOUNT_ID_SCHEMA, { minItems: 1, uniqueItems: true }),
    actor: ACTOR_SCHEMA,
  }),
  example: { account: EXAMPLE_ACCOUNT, mergedAccountIds: ['acc_01JNJ7BPG0MPP8W55289MHM1Z6'], actor: EXAMPLE_ACTOR },
});

export const ACCOUNT_RESTORED = defineEvent<AccountRestoredData>()({
  type: 'account.restored',
  category: 'account',
  description: 'A deleted account was restored.',
  access: 'workspace',
  schema: objectSchema({ account: ACCOUNT_SCHEMA, actor: ACTOR_SCHEMA }),
  example: { account: EXAMPLE_ACCOUNT, actor: EXAMPLE_OTHER_USER },
});

export const ACCOUNT_OWNER_CHANGED = defineEvent<AccountOwnerChangedData>()({
  type: 'account.owner_changed',
  category: 'account',
  description: 'An account was assigned to a different owner.',
  access: 'workspace',
  schema: objectSchema({
    account: ACCOUNT_SCHEMA,
    previousOwner: nullable(USER_REF_SCHEMA),
    owner: nullable(USER_REF_SCHEMA),
    actor: ACTOR_SCHEMA,
  }),
  example: {
    account: { ...EXAMPLE_ACCOUNT, ownerId: EXAMPLE_OTHER_USER.id },
    previousOwner: EXAMPLE_ACTOR,
    owner: EXAMPLE_OTHER_USER,
    actor: EXAMPLE_ACTOR,
  },
});

export const ACCOUNT_STAGE_CHANGED = defineEvent<AccountStageChangedData>()({
  type: 'account.stage_changed',
  category: 'account',
  description: 'An account moved to another lifecycle stage (e.g. opportunity → customer).',
  access: 'workspace',
  schema: objectSchema({
    account: ACCOUNT_SCHEMA,
    previousStage: ACCOUNT_STAGE_SCHEMA,
    stage: ACCOUNT_STAGE_SCHEMA,
    actor: ACTOR_SCHEMA,
  }),
  example: {
    account: { ...EXAMPLE_ACCOUNT, stage: 'customer' },
    previousStage: 'opportunity',
    stage: 'customer',
    actor: EXAMPLE_OTHER_USER,
  },
});

/** Account events in catalog order. */
export const ACCOUNT_EVENTS = [
  ACCOUNT_CREATED,
  ACCOUNT_UPDATED,
  ACCOUNT_DELETED,
  ACCOUNT_MERGED,
  ACCOUNT_RESTORED,
  ACCOUNT_OWNER_CHANGED,
  ACCOUNT_STAGE_CHANGED,
] as const;
