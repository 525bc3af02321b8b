import type { ConsumedMessage, KafkaConnection } from '@harmony/platform-kafka';
import { TopicFollower } from '@harmony/platform-kafka';
import { createLogger } from '@harmony/platform-observability';

/** Records everything on some topics (from the start) so tests can wait for what they expect. */
export class TopicRecorder {
  readonly messages: ConsumedMessage[] = [];
  private readonly follower: TopicFollower;

  constructor(connection: KafkaConnection, topics: string[]) {
    this.follower = new TopicFollower(
      connection,
      { name: 'test-recorder', topics, from: 'earliest', apply: (message) => this.messages.push(message) },
      createLogger({ service: 'test', level: 'silent' }),
    );
  }

  start(): Promise<void> {
    return this.follower.start();
  }

  stop(): Promise<void> {
    return this.follower.stop();
  }

  /** Parsed JSON values of the records on `topic`. */
  values<T = unknown>(topic?: string): T[] {
    return this.messages
      .filter((message) => topic === undefined || message.topic === topic)
      .map((message) => JSON.parse(message.value?.toString('utf8') ?? 'null') as T);
  }

  async waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; recorded ${this.messages.length} messages`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
