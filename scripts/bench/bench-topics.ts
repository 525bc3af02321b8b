import { getEventCategory, TOPICS } from '@harmony/contracts';

/** The upstream topic of an event type, as Harmony publishes it. */
export function upstreamTopic(type: string): string {
  const category = getEventCategory(type);
  if (!category) throw new Error(`no category for ${type}`);
  return TOPICS.upstream(category);
}
