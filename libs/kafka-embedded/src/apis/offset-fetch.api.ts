import { ApiHandler } from '../broker/broker-context';
import { ApiKey } from '../protocol/api-keys';
import { ByteWriter } from '../protocol/byte-writer';

/** OffsetFetch v1–v5; v2+ may ask for every committed partition with a null topic list. */
export const offsetFetchApi: ApiHandler = {
  apiKey: ApiKey.OffsetFetch,
  handle(ctx, r) {
    const v = ctx.header.apiVersion;
    const groupId = r.string();
    const readTopic = (rr: typeof r) => ({ name: rr.string(), partitionIndexes: rr.array((x) => x.int32()) });
    const topics = v >= 2 ? r.nullableArray(readTopic) : r.array(readTopic);
    const out = ctx.broker.groups.fetchOffsets({ groupId, topics });
    const w = new ByteWriter(128);
    if (v >= 3) w.int32(0);
    w.array(out.topics, (w, t) => {
      w.string(t.name);
      w.array(t.partitions, (w, p) => {
        w.int32(p.partitionIndex).int64(p.committedOffset);
        if (v >= 5) w.int32(-1); // committedLeaderEpoch
        w.nullableString(p.metadata).int16(p.errorCode);
      });
    });
    if (v >= 2) w.int16(out.errorCode);
    return w;
  },
};
