import { type TopicDefinition, UPSTREAM_TOPICS, WEBHOOK_TOPICS } from '@harmony/contracts';
import type { TopicSpec } from './topic-admin';

/** Kafka topic specs for the contracts' topic definitions (compaction where the contract says so). */
export function topicSpecs(definitions: readonly TopicDefinition[]): TopicSpec[] {
  return definitions.map((definition): TopicSpec => {
    const config: Record<string, string> = {};
    if (definition.cleanupPolicy === 'compact') config['cleanup.policy'] = 'compact';
    return { topic: definition.name, config };
  });
}

/**
 * Every topic the pipeline uses. Each service ensures all of them at start,
 * so services can start in any order; upstream topics are included so ingest
 * can subscribe before the first Harmony service publishes.
 */
export const PIPELINE_TOPIC_SPECS: readonly TopicSpec[] = [
  ...topicSpecs(WEBHOOK_TOPICS),
  ...UPSTREAM_TOPICS.map((topic) => ({ topic })),
];
