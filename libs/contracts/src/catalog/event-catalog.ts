import { ACCOUNT_EVENTS } from './account/account.events';
import { CONTACT_EVENTS } from './contact/contact.events';
import { CONVERSATION_EVENTS } from './conversation/conversation.events';
import { EVENT_CATEGORY_NAMES, type EventCategory, type EventDefinition, isOperationalEventType, OPERATIONAL_CATEGORY } from './event-definition';
import { PROJECT_EVENTS } from './project/project.events';
import { USER_EVENTS } from './user/user.events';
import { WEBHOOK_EVENTS } from './webhook/webhook.events';

/**
 * Every event Harmony webhooks can deliver, in display order (by category):
 * Harmony's 38, then the 3 operational events about the workspace's webhooks.
 * To add an event: define it in its category file and append it to that
 * category's list; everything else (API, page, ingest, Test button) follows.
 */
export const EVENT_CATALOG = [
  ...CONTACT_EVENTS,
  ...ACCOUNT_EVENTS,
  ...CONVERSATION_EVENTS,
  ...PROJECT_EVENTS,
  ...USER_EVENTS,
  ...WEBHOOK_EVENTS,
] as const;

type CatalogEntry = (typeof EVENT_CATALOG)[number];

/** Union of all known event type names, e.g. `'contact.created' | …`. */
export type EventType = CatalogEntry['type'];

/** The `data` type of each event type. */
export type EventDataMap = { [E in CatalogEntry as E['type']]: E['example'] };
export type EventData<T extends EventType> = EventDataMap[T];

export const EVENT_TYPES: readonly EventType[] = EVENT_CATALOG.map((event) => event.type);
/** What `'*'` selects: every Harmony event type, not the operational ones. */
export const HARMONY_EVENT_TYPES: readonly EventType[] = EVENT_TYPES.filter((type) => !isOperationalEventType(type));

export interface EventCategoryDefinition {
  readonly name: EventCategory;
  /** Heading on the Webhook Subscriptions page. */
  readonly label: string;
  readonly events: readonly EventDefinition[];
}

const CATEGORY_LABELS: Record<EventCategory, string> = {
  contact: 'Contacts',
  account: 'Accounts',
  conversation: 'Conversations',
  project: 'Insight projects',
  user: 'Users',
  webhook: 'Operational (about your webhooks)',
};

/** The categories with their events, in display order (Harmony's five, then the operational one). */
export const EVENT_CATEGORIES: readonly EventCategoryDefinition[] = EVENT_CATEGORY_NAMES.map((name) =>
  Object.freeze({
    name,
    label: CATEGORY_LABELS[name],
    events: EVENT_CATALOG.filter((event) => event.category === name),
  }),
);

/** Harmony's five categories: what upstream services publish and `'*'` selects. */
export const HARMONY_EVENT_CATEGORIES: readonly EventCategoryDefinition[] = EVENT_CATEGORIES.filter((category) => category.name !== OPERATIONAL_CATEGORY);

const BY_TYPE: ReadonlyMap<string, EventDefinition> = new Map(EVENT_CATALOG.map((event) => [event.type, event]));

export function isKnownEventType(type: unknown): type is EventType {
  return typeof type === 'string' && BY_TYPE.has(type);
}

export function getEventDefinition<T extends EventType>(type: T): EventDefinition<T, EventData<T>>;
export function getEventDefinition(type: string): EventDefinition | undefined;
export function getEventDefinition(type: string): EventDefinition | undefined {
  return BY_TYPE.get(type);
}

export function isEventCategory(name: unknown): name is EventCategory {
  return typeof name === 'string' && (EVENT_CATEGORY_NAMES as readonly string[]).includes(name);
}

/**
 * Category of an event type, from its `<category>.` prefix, so that topic
 * routing also works for types not (yet) in this build's catalog.
 */
export function getEventCategory(type: string): EventCategory | undefined {
  const prefix = type.split('.', 1)[0];
  return isEventCategory(prefix) ? prefix : undefined;
}
