import { ApiHandler, BrokerContext } from '../broker/broker-context';
import { ApiKey } from '../protocol/api-keys';
import { ByteWriter } from '../protocol/byte-writer';
import { ErrorCode } from '../protocol/error-codes';
import { Topic, TopicError, topicNameProblem } from '../storage/log-manager';

interface TopicAnswer {
  errorCode: number;
  name: string;
  topic: Topic | null;
}

/** Looks a topic up, creating it with the broker's defaults when allowed. */
export function resolveTopic(broker: BrokerContext, name: string, autoCreate: boolean): TopicAnswer {
  const existing = broker.logs.get(name);
  if (existing) return { errorCode: ErrorCode.NONE, name, topic: existing };
  if (topicNameProblem(name)) return { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, name, topic: null };
  if (!autoCreate) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, topic: null };
  try {
    const topic = broker.logs.createTopic(name, broker.defaults.numPartitions, broker.defaults.configs);
    return { errorCode: ErrorCode.NONE, name, topic };
  } catch (err) {
    if (err instanceof TopicError) return { errorCode: err.errorCode, name, topic: null };
    broker.logger.log('error', 'auto-creating a topic failed', { topic: name, err: String(err) });
    return { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, name, topic: null };
  }
}

export const metadataApi: ApiHandler = {
  apiKey: ApiKey.Metadata,
  handle(ctx, r) {
    const v = ctx.header.apiVersion;
    const b = ctx.broker;
    // v0: an empty list means every topic; v1+: null means every topic.
    const requested = v === 0 ? r.array((r) => r.string()) : r.nullableArray((r) => r.string());
    const allowAutoCreation = v >= 4 ? r.bool() : true;
    const all = requested === null || (v === 0 && requested.length === 0);
    const answers: TopicAnswer[] = all
      ? [...b.logs.topics.values()].map((topic) => ({ errorCode: ErrorCode.NONE, name: topic.name, topic }))
      : [...new Set(requested)].map((name) => resolveTopic(b, name, b.autoCreateTopics && allowAutoCreation));

    const w = new ByteWriter(1024);
    if (v >= 3) w.int32(0);
    w.array([b.nodeId], (w, id) => {
      w.int32(id).string(b.host).int32(b.port);
      if (v >= 1) w.nullableString(null);
    });
    if (v >= 2) w.nullableString(b.clusterId);
    if (v >= 1) w.int32(b.nodeId);
    w.array(answers, (w, t) => {
      w.int16(t.errorCode).string(t.name);
      if (v >= 1) w.bool(false);
      w.array(t.topic?.partitions ?? [], (w, p) => {
        w.int16(ErrorCode.NONE).int32(p.partition).int32(b.nodeId);
        w.array([b.nodeId], (w, id) => w.int32(id));
        w.array([b.nodeId], (w, id) => w.int32(id));
        if (v >= 5) w.int32(0);
      });
    });
    return w;
  },
};
