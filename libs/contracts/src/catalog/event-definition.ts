import type { AccessDefault } from '../access/access';
import { schemaDocument, type JsonSchema } from '../schema/json-schema';

/** Harmony's five categories, published upstream, in the order the page shows them. */
export const HARMONY_CATEGORY_NAMES = ['contact', 'account', 'conversation', 'project', 'user'] as const;
/** Operational events: the platform's own, about a workspace's webhooks; never published upstream. */
export const OPERATIONAL_CATEGORY = 'webhook';
export const EVENT_CATEGORY_NAMES = [...HARMONY_CATEGORY_NAMES, OPERATIONAL_CATEGORY] as const;
export type EventCategory = (typeof EVENT_CATEGORY_NAMES)[number];

/**
 * Whether a type is an operational event (`webhook.*`): only the platform emits
 * them, and only the workspace's operational endpoint receives them.
 */
export function isOperationalEventType(type: string): boolean {
  return type.startsWith(`${OPERATIONAL_CATEGORY}.`);
}

/** One catalog entry: everything the API, page, ingest and Test button need about an event type. */
export interface EventDefinition<TType extends string = string, TData = unknown> {
  /** `<category>.<action>`, e.g. `contact.created`. */
  readonly type: TType;
  readonly category: EventCategory;
  /** One line, shown beside the checkbox on the Webhook Subscriptions page. */
  readonly description: string;
  /** Envelope `access` when the producer does not set one. */
  readonly access: AccessDefault;
  /** JSON Schema (2020-12) of the envelope's `data`. */
  readonly schema: JsonSchema;
  /** A realistic `data` payload; the Test button sends it. */
  readonly example: TData;
}

/**
 * Declares a catalog entry. Curried so the data type is given explicitly
 * (`defineEvent<ContactCreatedData>()({...})`) while the literal `type` is inferred.
 */
export function defineEvent<TData>() {
  return <TType extends string>(entry: {
    type: TType;
    category: EventCategory;
    description: string;
    access: AccessDefault;
    /** Schema of `data`, normally an `objectSchema(...)`; wrapped with `$schema`/`$id` here. */
    schema: JsonSchema;
    example: TData;
  }): EventDefinition<TType, TData> => {
    // Fail at import time rather than serve a catalog whose type and category disagree.
    if (!entry.type.startsWith(`${entry.category}.`)) {
      throw new Error(`event type '${entry.type}' is not in category '${entry.category}'`);
    }
    return Object.freeze({
      ...entry,
      schema: schemaDocument(`events/${entry.type}.json`, `${entry.type} data`, entry.schema),
    });
  };
}
