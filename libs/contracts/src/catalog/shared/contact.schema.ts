import {
  arraySchema,
  DATE_TIME_SCHEMA,
  EMAIL_SCHEMA,
  NON_EMPTY_STRING_SCHEMA,
  nullable,
  objectSchema,
  URI_SCHEMA,
  type JsonSchema,
} from '../../schema/json-schema';
import { ACCOUNT_ID_SCHEMA, CONTACT_ID_SCHEMA, USER_ID_SCHEMA } from '../../schema/ids';

export type CustomFieldValue = string | number | boolean | null;

/** A contact as sent in contact.* events. */
export interface Contact {
  id: string;
  firstName: string;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  jobTitle: string | null;
  accountId: string | null;
  ownerId: string | null;
  tags: string[];
  /** Workspace-defined fields; keys are the field keys set up in Harmony. */
  customFields: Record<string, CustomFieldValue>;
  url: string;
  createdAt: string;
  updatedAt: string;
}

const CONTACT_PROPERTIES: Record<keyof Contact, JsonSchema> = {
  id: CONTACT_ID_SCHEMA,
  firstName: NON_EMPTY_STRING_SCHEMA,
  lastName: nullable({ type: 'string' }),
  email: nullable(EMAIL_SCHEMA),
  // E.164 keeps phone numbers comparable across integrations.
  phone: nullable({ type: 'string', pattern: '^\\+[1-9][0-9]{6,14}$' }),
  jobTitle: nullable({ type: 'string' }),
  accountId: nullable(ACCOUNT_ID_SCHEMA),
  ownerId: nullable(USER_ID_SCHEMA),
  tags: arraySchema({ type: 'string', minLength: 1 }, { uniqueItems: true }),
  customFields: {
    type: 'object',
    propertyNames: { pattern: '^[a-z][a-z0-9_]{0,63}$' },
    additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
  },
  url: { ...URI_SCHEMA, description: 'Link to the contact in Harmony.' },
  createdAt: DATE_TIME_SCHEMA,
  updatedAt: DATE_TIME_SCHEMA,
};

export const CONTACT_FIELD_NAMES = Object.keys(CONTACT_PROPERTIES) as (keyof Contact)[];

export const CONTACT_SCHEMA: JsonSchema = objectSchema(CONTACT_PROPERTIES, {
  title: 'Contact',
  description: 'A person the workspace works with.',
});

export const EXAMPLE_CONTACT: Contact = {
  id: 'ct_01JNAQ18R0CAVJ0824N99C189A',
  firstName: 'Priya',
  lastName: 'Raman',
  email: 'priya.raman@acmelogistics.com',
  phone: '+14155550142',
  jobTitle: 'Head of Operations',
  accountId: 'acc_01JNBF2A402MQ80H4NHSJMV5W9',
  ownerId: 'usr_01JN96Z600Q5CGWQT5XDV1KWX9',
  tags: ['decision-maker', 'q2-pipeline'],
  customFields: { linkedin_url: 'https://www.linkedin.com/in/priyaraman', lead_score: 82, newsletter_opt_in: true },
  url: 'https://app.harmony.app/ws_01JNC73BG0DASM3JC3DDJK4SR8/contacts/ct_01JNAQ18R0CAVJ0824N99C189A',
  createdAt: '2025-03-04T14:22:05.118Z',
  updatedAt: '2025-03-11T09:41:27.502Z',
};
