import {
  DATE_TIME_SCHEMA,
  NON_EMPTY_STRING_SCHEMA,
  nullable,
  objectSchema,
  stringEnumSchema,
  URI_SCHEMA,
  type JsonSchema,
} from '../../schema/json-schema';
import { ACCOUNT_ID_SCHEMA, USER_ID_SCHEMA } from '../../schema/ids';

export const ACCOUNT_STAGES = ['prospect', 'qualified', 'opportunity', 'customer', 'churned'] as const;
export type AccountStage = (typeof ACCOUNT_STAGES)[number];

export const ACCOUNT_STAGE_SCHEMA = stringEnumSchema(ACCOUNT_STAGES, 'Lifecycle stage of the account.');

/** A company/organisation as sent in account.* events. */
export interface Account {
  id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  employeeCount: number | null;
  stage: AccountStage;
  ownerId: string | null;
  url: string;
  createdAt: string;
  updatedAt: string;
}

const ACCOUNT_PROPERTIES: Record<keyof Account, JsonSchema> = {
  id: ACCOUNT_ID_SCHEMA,
  name: NON_EMPTY_STRING_SCHEMA,
  domain: nullable({ type: 'string', format: 'hostname' }),
  industry: nullable({ type: 'string' }),
  employeeCount: nullable({ type: 'integer', minimum: 0 }),
  stage: ACCOUNT_STAGE_SCHEMA,
  ownerId: nullable(USER_ID_SCHEMA),
  url: { ...URI_SCHEMA, description: 'Link to the account in Harmony.' },
  createdAt: DATE_TIME_SCHEMA,
  updatedAt: DATE_TIME_SCHEMA,
};

export const ACCOUNT_FIELD_NAMES = Object.keys(ACCOUNT_PROPERTIES) as (keyof Account)[];

export const ACCOUNT_SCHEMA: JsonSchema = objectSchema(ACCOUNT_PROPERTIES, {
  title: 'Account',
  description: 'A company the workspace works with.',
});

/** Short reference to an account, used where the full account is not the subject. */
export interface AccountRef {
  id: string;
  name: string;
}

export const ACCOUNT_REF_SCHEMA: JsonSchema = objectSchema(
  { id: ACCOUNT_ID_SCHEMA, name: NON_EMPTY_STRING_SCHEMA },
  { title: 'AccountRef' },
);

export const EXAMPLE_ACCOUNT: Account = {
  id: 'acc_01JNBF2A402MQ80H4NHSJMV5W9',
  name: 'Acme Logistics',
  domain: 'acmelogistics.com',
  industry: 'Transportation & Logistics',
  employeeCount: 1250,
  stage: 'opportunity',
  ownerId: 'usr_01JN96Z600Q5CGWQT5XDV1KWX9',
  url: 'https://app.harmony.app/ws_01JNC73BG0DASM3JC3DDJK4SR8/accounts/acc_01JNBF2A402MQ80H4NHSJMV5W9',
  createdAt: '2025-02-18T10:05:44.000Z',
  updatedAt: '2025-03-11T09:41:27.502Z',
};
