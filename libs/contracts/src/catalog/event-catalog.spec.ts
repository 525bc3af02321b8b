import { validateEventData } from '../validation/event-validator';
import {
  EVENT_CATALOG,
  EVENT_CATEGORIES,
  EVENT_TYPES,
  getEventCategory,
  getEventDefinition,
  isKnownEventType,
} from './event-catalog';
import { isOperationalEventType } from './event-definition';

// The table of DESIGN.md "Event catalog", verbatim.
const DESIGN_TABLE: Record<string, string[]> = {
  contact: [
    'contact.created', 'contact.updated', 'contact.deleted', 'contact.merged', 'contact.restored',
    'contact.owner_changed', 'contact.tag_added', 'contact.tag_removed', 'contact.linked_to_account',
    'contact.unlinked_from_account',
  ],
  account: [
    'account.created', 'account.updated', 'account.deleted', 'account.merged', 'account.restored',
    'account.owner_changed', 'account.stage_changed',
  ],
  conversation: [
    'conversation.created', 'conversation.recording_started', 'conversation.recorded',
    'conversation.transcript_ready', 'conversation.summary_ready', 'conversation.processed',
    'conversation.updated', 'conversation.shared', 'conversation.deleted', 'conversation.restored',
  ],
  project: [
    'project.created', 'project.updated', 'project.deleted', 'project.insight_generation_started',
    'project.insight_generation_completed', 'project.insight_generation_failed',
  ],
  user: ['user.added', 'user.updated', 'user.role_changed', 'user.deactivated', 'user.removed'],
  // Operational events (not in DESIGN.md's Harmony table): about the workspace's own webhooks.
  webhook: ['webhook.disabled', 'webhook.delivery_exhausted', 'webhook.recovered'],
};

describe('event catalog', () => {
  it('has exactly the 38 Harmony events of DESIGN.md and the 3 operational ones, in its order', () => {
    expect(EVENT_CATALOG).toHaveLength(41);
    expect(EVENT_TYPES).toEqual(Object.values(DESIGN_TABLE).flat());
    expect(new Set(EVENT_TYPES).size).toBe(41);
    expect(EVENT_TYPES.filter((type) => !isOperationalEventType(type))).toHaveLength(38);
  });

  it('has the five Harmony categories with 10/7/10/6/5 events and the operational one with 3, labelled, in page order', () => {
    expect(EVENT_CATEGORIES.map((category) => [category.name, category.events.length])).toEqual([
      ['contact', 10],
      ['account', 7],
      ['conversation', 10],
      ['project', 6],
      ['user', 5],
      ['webhook', 3],
    ]);
    for (const category of EVENT_CATEGORIES) {
      expect(category.label).toMatch(/^[A-Z]/);
      expect(category.events.map((event) => event.type)).toEqual(DESIGN_TABLE[category.name]);
    }
  });

  it('defaults access: user.* and webhook.* admin-only, conversations to participants, the rest workspace-wide', () => {
    const accessByCategory = new Map(EVENT_CATEGORIES.map((c) => [c.name, new Set(c.events.map((e) => e.access))]));
    expect(accessByCategory.get('user')).toEqual(new Set(['admin']));
    expect(accessByCategory.get('webhook')).toEqual(new Set(['admin']));
    expect(accessByCategory.get('conversation')).toEqual(new Set(['participants']));
    for (const name of ['contact', 'account', 'project'] as const) {
      expect(accessByCategory.get(name)).toEqual(new Set(['workspace']));
    }
  });

  it('looks events up by type', () => {
    expect(getEventDefinition('contact.merged')?.category).toBe('contact');
    expect(getEventDefinition('contact.exploded')).toBeUndefined();
    expect(isKnownEventType('user.role_changed')).toBe(true);
    expect(isKnownEventType('user.exploded')).toBe(false);
    expect(isKnownEventType(42)).toBe(false);
    expect(getEventCategory('conversation.recorded')).toBe('conversation');
    expect(getEventCategory('invoice.paid')).toBeUndefined();
  });

  describe.each(EVENT_CATALOG.map((event) => [event.type, event] as const))('%s', (type, event) => {
    it('its example validates against its schema', () => {
      expect(validateEventData(type, event.example)).toEqual({ ok: true, value: event.example });
    });

    it('is in its category, with a one-line description and a closed, JSON-serializable schema', () => {
      expect(type.startsWith(`${event.category}.`)).toBe(true);
      expect(event.description).toMatch(/^[A-Z][^\n]{10,120}$/);
      expect(event.schema).toMatchObject({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: `https://schemas.harmony.app/webhooks/events/${type}.json`,
        type: 'object',
        additionalProperties: false,
      });
      expect(JSON.parse(JSON.stringify(event.schema))).toEqual(event.schema);
      expect(JSON.parse(JSON.stringify(event.example))).toEqual(event.example);
    });
  });

  it('has realistic examples for the events whose shape matters most', () => {
    expect(getEventDefinition('conversation.recorded').example).toMatchObject({
      conversation: { durationSeconds: expect.any(Number), participants: expect.arrayContaining([expect.any(Object)]) },
      recording: { url: expect.stringMatching(/^https:\/\//), durationSeconds: expect.any(Number) },
    });
    expect(getEventDefinition('project.insight_generation_failed').example.error).toEqual({
      code: expect.any(String),
      message: expect.any(String),
      retryable: expect.any(Boolean),
    });
    expect(getEventDefinition('contact.merged').example.mergedContactIds.length).toBeGreaterThan(0);
    expect(getEventDefinition('user.role_changed').example).toMatchObject({ previousRole: 'member', role: 'admin' });
    for (const type of ['contact.updated', 'account.updated', 'conversation.updated', 'project.updated', 'user.updated'] as const) {
      const changes = Object.values(getEventDefinition(type).example.changes);
      expect(changes.length).toBeGreaterThan(0);
      for (const change of changes) expect(Object.keys(change ?? {}).sort()).toEqual(['current', 'previous']);
    }
  });
});
