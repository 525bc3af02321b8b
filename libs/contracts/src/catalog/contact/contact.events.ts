import {
  arraySchema,
  NON_EMPTY_STRING_SCHEMA,
  nullable,
  objectSchema,
  prefixedIdSchema,
  stringEnumSchema,
} from '../../schema/json-schema';
import { CONTACT_ID_SCHEMA, ID_PREFIXES } from '../../schema/ids';
import { defineEvent } from '../event-definition';
import { ACCOUNT_REF_SCHEMA, type AccountRef } from '../shared/account.schema';
import { changesSchema, type Changes } from '../shared/changes.schema';
import { CONTACT_FIELD_NAMES, CONTACT_SCHEMA, EXAMPLE_CONTACT, type Contact } from '../shared/contact.schema';
import { ACTOR_SCHEMA, EXAMPLE_ACTOR, EXAMPLE_OTHER_USER, USER_REF_SCHEMA, type UserRef } from '../shared/user-ref.schema';

export const CONTACT_SOURCES = ['manual', 'import', 'api', 'integration', 'conversation'] as const;
export type ContactSource = (typeof CONTACT_SOURCES)[number];

export interface Tag {
  id: string;
  name: string;
}

const TAG_SCHEMA = objectSchema({ id: prefixedIdSchema(ID_PREFIXES.tag), name: NON_EMPTY_STRING_SCHEMA }, { title: 'Tag' });
const EXAMPLE_TAG: Tag = { id: 'tag_01JNFZ8JC04D6BCW23RHR4PW0H', name: 'decision-maker' };
const EXAMPLE_ACCOUNT_REF: AccountRef = { id: 'acc_01JNBF2A402MQ80H4NHSJMV5W9', name: 'Acme Logistics' };

export interface ContactCreatedData { contact: Contact; source: ContactSource; actor: UserRef | null }
export interface ContactUpdatedData { contact: Contact; changes: Changes<Contact>; actor: UserRef | null }
export interface ContactDeletedData { contact: Contact; actor: UserRef | null }
export interface ContactMergedData { contact: Contact; mergedContactIds: string[]; actor: UserRef | null }
export interface ContactRestoredData { contact: Contact; actor: UserRef | null }
export interface ContactOwnerChangedData { contact: Contact; previousOwner: UserRef | null; owner: UserRef | null; actor: UserRef | null }
export interface ContactTagData { contact: Contact; tag: Tag; actor: UserRef | null }
export interface ContactAccountLinkData { contact: Contact; account: AccountRef; actor: UserRef | null }

export const CONTACT_CREATED = defineEvent<ContactCreatedData>()({
  type: 'contact.created',
  category: 'contact',
  description: 'A contact was created, by hand, by an import, through the API or from a conversation.',
  access: 'workspace',
  schema: objectSchema({ contact: CONTACT_SCHEMA, source: stringEnumSchema(CONTACT_SOURCES), actor: ACTOR_SCHEMA }),
  example: { contact: EXAMPLE_CONTACT, source: 'manual', actor: EXAMPLE_ACTOR },
});

export const CONTACT_UPDATED = defineEvent<ContactUpdatedData>()({
  type: 'contact.updated',
  category: 'contact',
  description: "A contact's fields changed; includes the previous values.",
  access: 'workspace',
  schema: objectSchema({ contact: CONTACT_SCHEMA, changes: changesSchema(CONTACT_FIELD_NAMES), actor: ACTOR_SCHEMA }),
  example: {
    contact: { ...EXAMPLE_CONTACT, jobTitle: 'VP Operations', phone: '+14155550199' },
    changes: {
      jobTitle: { previous: 'Head of Operations', current: 'VP Operations' },
      phone: { previous: '+14155550142', current: '+14155550199' },
    },
    actor: EXAMPLE_ACTOR,
  },
});

export const CONTACT_DELETED = defineEvent<ContactDeletedData>()({
  type: 'contact.deleted',
  category: 'contact',
  description: 'A contact was deleted (it can be restored for 30 days).',
  access: 'workspace',
  schema: objectSchema({ contact: CONTACT_SCHEMA, actor: ACTOR_SCHEMA }),
  example: { contact: EXAMPLE_CONTACT, actor: EXAMPLE_ACTOR },
});

export const CONTACT_MERGED = defineEvent<ContactMergedData>()({
  type: 'contact.merged',
  category: 'contact',
  description: 'Duplicate contacts were merged into one; the merged-away ids no longer exist.',
  access: 'workspace',
  schema: objectSchema({
    contact: { ...CONTACT_SCHEMA, description: 'The surviving contact, after the merge.' },
    mergedContactIds: arraySchema(CONTACT_ID_SCHEMA, { minItems: 1, uniqueItems: true }),
    actor: ACTOR_SCHEMA,
  }),
  example: {
    contact: EXAMPLE_CONTACT,
    mergedContactIds: ['ct_01JNGQ9KR074D0AKR633P1Z8HY', 'ct_01JNHFAN4079CW2V7E7ZBHPTSD'],
    actor: EXAMPLE_ACTOR,
  },
});

export const CONTACT_RESTORED = defineEvent<ContactRestoredData>()({
  type: 'contact.restored',
  category: 'contact',
  description: 'A deleted contact was restored.',
  access: 'workspace',
  schema: objectSchema({ contact: CONTACT_SCHEMA, actor: ACTOR_SCHEMA }),
  example: { contact: EXAMPLE_CONTACT, actor: EXAMPLE_OTHER_USER },
});

export const CONTACT_OWNER_CHANGED = defineEvent<ContactOwnerChangedData>()({
  type: 'contact.owner_changed',
  category: 'contact',
  description: 'A contact was assigned to a different owner.',
  access: 'workspace',
  schema: objectSchema({
    contact: CONTACT_SCHEMA,
    previousOwner: nullable(USER_REF_SCHEMA),
    owner: nullable(USER_REF_SCHEMA),
    actor: ACTOR_SCHEMA,
  }),
  example: {
    contact: { ...EXAMPLE_CONTACT, ownerId: EXAMPLE_OTHER_USER.id },
    previousOwner: EXAMPLE_ACTOR,
    owner: EXAMPLE_OTHER_USER,
    actor: EXAMPLE_ACTOR,
  },
});

export const CONTACT_TAG_ADDED = defineEvent<ContactTagData>()({
  type: 'contact.tag_added',
  category: 'contact',
  description: 'A tag was added to a contact.',
  access: 'workspace',
  schema: objectSchema({ contact: CONTACT_SCHEMA, tag: TAG_SCHEMA, actor: ACTOR_SCHEMA }),
  example: { contact: EXAMPLE_CONTACT, tag: EXAMPLE_TAG, actor: EXAMPLE_ACTOR },
});

export const CONTACT_TAG_REMOVED = defineEvent<ContactTagData>()({
  type: 'contact.tag_removed',
  category: 'contact',
  description: 'A tag was removed from a contact.',
  access: 'workspace',
  schema: objectSchema({ contact: CONTACT_SCHEMA, tag: TAG_SCHEMA, actor: ACTOR_SCHEMA }),
  example: {
    contact: { ...EXAMPLE_CONTACT, tags: ['q2-pipeline'] },
    tag: EXAMPLE_TAG,
    actor: EXAMPLE_ACTOR,
  },
});

export const CONTACT_LINKED_TO_ACCOUNT = defineEvent<ContactAccountLinkData>()({
  type: 'contact.linked_to_account',
  category: 'contact',
  description: 'A contact was linked to an account.',
  access: 'workspace',
  schema: objectSchema({ contact: CONTACT_SCHEMA, account: ACCOUNT_REF_SCHEMA, actor: ACTOR_SCHEMA }),
  example: { contact: EXAMPLE_CONTACT, account: EXAMPLE_ACCOUNT_REF, actor: EXAMPLE_ACTOR },
});

export const CONTACT_UNLINKED_FROM_ACCOUNT = defineEvent<ContactAccountLinkData>()({
  type: 'contact.unlinked_from_account',
  category: 'contact',
  description: 'A contact was unlinked from an account.',
  access: 'workspace',
  schema: objectSchema({ contact: CONTACT_SCHEMA, account: ACCOUNT_REF_SCHEMA, actor: ACTOR_SCHEMA }),
  example: { contact: { ...EXAMPLE_CONTACT, accountId: null }, account: EXAMPLE_ACCOUNT_REF, actor: null },
});

/** Contact events in catalog order. */
export const CONTACT_EVENTS = [
  CONTACT_CREATED,
  CONTACT_UPDATED,
  CONTACT_DELETED,
  CONTACT_MERGED,
  CONTACT_RESTORED,
  CONTACT_OWNER_CHANGED,
  CONTACT_TAG_ADDED,
  CONTACT_TAG_REMOVED,
  CONTACT_LINKED_TO_ACCOUNT,
  CONTACT_UNLINKED_FROM_ACCOUNT,
] as const;
