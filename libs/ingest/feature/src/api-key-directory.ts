import { Inject, Injectable } from '@nestjs/common';
import { type ApiKeyRecord, decode, TOPICS, validateApiKeyRecord } from '@harmony/contracts';
import { hashApiKey } from '@harmony/webhooks/domain';
import { CompactedTopicReader, KafkaConnection } from '@harmony/platform-kafka';
import { LOGGER, type Logger } from '@harmony/platform-observability';

export type KeyCheck = { ok: true; record: ApiKeyRecord } | { ok: false; status: 401 | 403; message: string };

/**
 * The API keys event-ingest accepts, from the compacted `webhooks.api-keys`
 * topic that subscription-service publishes (hashes only). event-ingest needs
 * no database to authenticate `POST /v1/events`.
 */
@Injectable()
export class ApiKeyDirectory extends CompactedTopicReader<ApiKeyRecord> {
  private readonly keys = new Map<string, ApiKeyRecord>();

  constructor(@Inject(KafkaConnection) connection: KafkaConnection, @Inject(LOGGER) logger: Logger) {
    super(connection, 'webhooks.event-ingest.api-keys', TOPICS.apiKeys, logger);
  }

  /** Authenticates a bearer key for one scope. */
  check(key: string | null, scope: string): KeyCheck {
    if (!key) return { ok: false, status: 401, message: 'an API key is required: Authorization: Bearer <key>' };
    const record = this.keys.get(hashApiKey(key));
    if (!record || record.revoked) return { ok: false, status: 401, message: 'unknown or revoked API key' };
    if (!record.scopes.includes(scope)) return { ok: false, status: 403, message: `this API key lacks the ${scope} scope` };
    return { ok: true, record };
  }

  protected decode(value: Buffer, hash: string): ApiKeyRecord {
    const record = decode(validateApiKeyRecord, value);
    if (record.keyHash !== hash) throw new Error('keyHash differs from the record key');
    return record;
  }

  protected apply(hash: string, record: ApiKeyRecord | null): void {
    if (record === null) this.keys.delete(hash);
    else this.keys.set(hash, record);
  }
}
