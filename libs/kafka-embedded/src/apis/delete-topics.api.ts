import { ApiHandler } from '../broker/broker-context';
import { ApiKey } from '../protocol/api-keys';
import { ByteWriter } from '../protocol/byte-writer';
import { ErrorCode } from '../protocol/error-codes';
import { TopicError } from '../storage/log-manager';

/** DeleteTopics v0–v1: the partitions' files and the topic's committed offsets go. */
export const deleteTopicsApi: ApiHandler = {
  apiKey: ApiKey.DeleteTopics,
  async handle(ctx, r) {
    const v = ctx.header.apiVersion;
    const names = r.array((r) => r.string());
    r.int32(); // timeoutMs
    const results: { name: string; errorCode: number }[] = [];
    for (const name of names) {
      try {
        await ctx.broker.logs.deleteTopic(name);
        await ctx.broker.groups.deleteTopic(name);
        results.push({ name, errorCode: ErrorCode.NONE });
      } catch (err) {
        if (err instanceof TopicError) results.push({ name, errorCode: err.errorCode });
        else {
          ctx.broker.logger.log('error', 'deleting a topic failed', { topic: name, err: String(err) });
          results.push({ name, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR });
        }
      }
    }
    const w = new ByteWriter(64);
    if (v >= 1) w.int32(0);
    w.array(results, (w, res) => w.string(res.name).int16(res.errorCode));
    return w;
  },
};
