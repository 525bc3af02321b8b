import { EMAIL_SCHEMA, NON_EMPTY_STRING_SCHEMA, nullable, objectSchema, type JsonSchema } from '../../schema/json-schema';
import { USER_ID_SCHEMA } from '../../schema/ids';

/** A workspace user as referenced from other objects (actor, owner). */
export interface UserRef {
  id: string;
  name: string;
  email: string;
}

export const USER_REF_SCHEMA: JsonSchema = objectSchema(
  { id: USER_ID_SCHEMA, name: NON_EMPTY_STRING_SCHEMA, email: EMAIL_SCHEMA },
  { title: 'UserRef', description: 'A workspace user, by id with display name and email.' },
);

/** Who caused the event; `null` when Harmony itself did (import, automation, retention job). */
export const ACTOR_SCHEMA: JsonSchema = {
  ...nullable(USER_REF_SCHEMA),
  description: 'The user who caused the event, or null for system actions.',
};

export const EXAMPLE_ACTOR: UserRef = {
  id: 'usr_01JN96Z600Q5CGWQT5XDV1KWX9',
  name: 'Maya Lindqvist',
  email: 'maya.lindqvist@northwind.io',
};

export const EXAMPLE_OTHER_USER: UserRef = {
  id: 'usr_01JN9Z07C09WZYQC0YGKEVJGTP',
  name: 'Daniel Okafor',
  email: 'daniel.okafor@northwind.io',
};
