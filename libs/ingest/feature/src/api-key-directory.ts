import { Inject, Injectable } from '@nestjs/common';
import { type ApiKeyRecord, safeDecode, TOPICS, validateApiKeyRecord } from '@harmony/contracts';
import { hashApiKey } from '@harmony/webhooks/domain';
import { KafkaConnection, TopicFollower } from '@harmony/platform-kafka';
import { LOGGER, type Logger } from '@harmony/platform-observability';

export type KeyCheck = { ok: true; record: ApiKeyRecord } | { ok: false; status: 401 | 403; message: string };

/**
 * The API keys event-ingest accepts, from the compacted `webhooks.api-keys`
 * topic that subscription-service publishes (hashes only). event-ingest needs
 * no database to authenticate `POST /v1/events`.
 */
@Injectable()
export class ApiKeyDirectory {
  private readonly keys = new Map<string, ApiKeyRecord>();
  private readonly follower: TopicFollower;

  constructor(@Inject(KafkaConnection) connection: KafkaConnection, @Inject(LOGGER) private readonly logger: Logger) {
    this.follower = new TopicFollower(
      connection,
      {
        name: 'webhooks.event-ingest.api-keys',
        topics: [TOPICS.apiKeys],
        from: 'earliest',
        apply: (message) => {
          const hash = message.key?.toString('utf8');
          if (!hash) return;
          if (message.value === null) {
            this.keys.delete(hash);
            return;
          }
          const parsed = safeDecode(validateApiKeyRecord, message.value);
          if (!parsed.ok || parsed.value.keyHash !== hash) {
            this.logger.warn({ offset: message.offset, errors: parsed.ok ? 'key mismatch' : parsed.errors }, 'invalid API key record skipped');
            return;
          }
          this.keys.set(hash, parsed.value);
        },
      },
      logger,
    );
  }

  get ready(): boolean {
    return this.follower.ready;
  }

  start(): Promise<void> {
    return this.follower.start();
  }

  stop(): Promise<void> {
    return this.follower.stop();
  }

  /** Authenticates a bearer key for one scope. */
  check(key: string | null, scope: string): KeyCheck {
    if (!key) return { ok: false, status: 401, message: 'an API key is required: Authorization: Bearer <key>' };
    const record = this.keys.get(hashApiKey(key));
    if (!record || record.revoked) return { ok: false, status: 401, message: 'unknown or revoked API key' };
    if (!record.scopes.includes(scope)) return { ok: false, status: 403, message: `this API key lacks the ${scope} scope` };
    return { ok: true, record };
  }
}
