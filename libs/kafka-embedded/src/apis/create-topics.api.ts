import { ApiHandler } from '../broker/broker-context';
import { ApiKey } from '../protocol/api-keys';
import { ByteWriter } from '../protocol/byte-writer';
import { ErrorCode } from '../protocol/error-codes';
import { TopicError } from '../storage/log-manager';

interface Result {
  name: string;
  errorCode: number;
  message: string | null;
}

/**
 * CreateTopics v0–v4. Replication factor and replica assignments are accepted
 * and ignored beyond the partition count: there is one broker. Configs are kept.
 */
export const createTopicsApi: ApiHandler = {
  apiKey: ApiKey.CreateTopics,
  handle(ctx, r) {
    const v = ctx.header.apiVersion;
    const topics = r.array((r) => ({
      name: r.string(),
      numPartitions: r.int32(),
      replicationFactor: r.int16(),
      assignments: r.array((r) => ({ partition: r.int32(), brokers: r.array((r) => r.int32()) })),
      configs: r.array((r) => ({ name: r.string(), value: r.nullableString() })),
    }));
    r.int32(); // timeoutMs
    const validateOnly = v >= 1 ? r.bool() : false;
    const seen = new Set<string>();
    const results = topics.map((t): Result => {
      if (seen.has(t.name)) return { name: t.name, errorCode: ErrorCode.INVALID_REQUEST, message: 'topic named twice in one request' };
      seen.add(t.name);
      let partitions = t.numPartitions === -1 ? ctx.broker.defaults.numPartitions : t.numPartitions;
      if (t.assignments.length > 0) {
        if (t.numPartitions !== -1) {
          return { name: t.name, errorCode: ErrorCode.INVALID_REQUEST, message: 'give either numPartitions or assignments' };
        }
        partitions = t.assignments.length;
      }
      if (t.replicationFactor === 0 || t.replicationFactor < -1) {
        return { name: t.name, errorCode: ErrorCode.INVALID_REPLICATION_FACTOR, message: 'replication factor must be positive or -1' };
      }
      const configs = { ...ctx.broker.defaults.configs, ...Object.fromEntries(t.configs.map((c) => [c.name, c.value])) };
      try {
        if (validateOnly) ctx.broker.logs.validate(t.name, partitions, configs);
        else ctx.broker.logs.createTopic(t.name, partitions, configs);
        return { name: t.name, errorCode: ErrorCode.NONE, message: null };
      } catch (err) {
        if (err instanceof TopicError) return { name: t.name, errorCode: err.errorCode, message: err.message };
        ctx.broker.logger.log('error', 'creating a topic failed', { topic: t.name, err: String(err) });
        return { name: t.name, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, message: 'storage error' };
      }
    });
    const w = new ByteWriter(128);
    if (v >= 2) w.int32(0);
    w.array(results, (w, res) => {
      w.string(res.name).int16(res.errorCode);
      if (v >= 1) w.nullableString(res.message);
    });
    return w;
  },
};
