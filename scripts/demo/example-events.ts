import { type EventEnvelope, getEventDefinition, HARMONY_EVENT_CATEGORIES, ID_PREFIXES, type IdKind, newId } from '@harmony/contracts';

type UpstreamEvent = Omit<EventEnvelope, 'access'>;

/** Kinds of the entity ids in catalog examples, replaced by fresh ones (the event id is made anew). */
const ENTITY_KINDS: readonly IdKind[] = ['workspace', 'user', 'member', 'team', 'contact', 'account', 'conversation', 'recording', 'transcript', 'summary', 'project', 'insightRun', 'tag'];
const KIND_OF_PREFIX = new Map<string, IdKind>(ENTITY_KINDS.map((kind) => [ID_PREFIXES[kind], kind]));
const ENTITY_ID = new RegExp(`\\b(${[...KIND_OF_PREFIX.keys()].join('|')})_[0-9A-HJKMNP-TV-Z]{26}\\b`, 'g');
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * A catalog example as a fresh upstream event: a new event id, entity ids
 * replaced consistently within the event (the workspace id by the demo's),
 * and its timestamps moved so the latest is now (their order kept).
 */
export function freshEvent(type: string, workspaceId: string, now = Date.now()): UpstreamEvent {
  const definition = getEventDefinition(type);
  if (!definition) throw new Error(`unknown event type ${type}`);
  const times: number[] = [];
  walk(definition.example, (value) => {
    if (ISO_TIME.test(value)) times.push(Date.parse(value));
    return value;
  });
  const shift = times.length > 0 ? now - Math.max(...times) : 0;
  const ids = new Map<string, string>();
  const data = walk(definition.example, (value) => {
    if (ISO_TIME.test(value)) return new Date(Date.parse(value) + shift).toISOString();
    return value.replace(ENTITY_ID, (id: string, prefix: string) => {
      const kind = KIND_OF_PREFIX.get(prefix);
      if (kind === undefined) return id;
      if (kind === 'workspace') return workspaceId;
      const fresh = ids.get(id) ?? newId(kind);
      ids.set(id, fresh);
      return fresh;
    });
  });
  return { id: newId('event', now), type, workspaceId, occurredAt: new Date(now).toISOString(), data };
}

/** One event type of each category, then any: what the simulated Harmony publishes. */
export const ONE_PER_CATEGORY = HARMONY_EVENT_CATEGORIES.flatMap((category) => category.events.slice(0, 1).map((event) => event.type));
export const EVERY_TYPE = HARMONY_EVENT_CATEGORIES.flatMap((category) => category.events.map((event) => event.type));

function walk(value: unknown, mapString: (value: string) => string): unknown {
  if (typeof value === 'string') return mapString(value);
  if (Array.isArray(value)) return value.map((item) => walk(item, mapString));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, mapString)]));
  }
  return value;
}
