import { ApiHandler } from '../broker/broker-context';
import { ApiKey } from '../protocol/api-keys';
import { ByteWriter } from '../protocol/byte-writer';

/** OffsetCommit v0–v7; answered once the offsets are durable (coordinator's fsync policy). */
export const offsetCommitApi: ApiHandler = {
  apiKey: ApiKey.OffsetCommit,
  async handle(ctx, r) {
    const v = ctx.header.apiVersion;
    const groupId = r.string();
    const generationId = v >= 1 ? r.int32() : -1;
    const memberId = v >= 1 ? r.string() : '';
    const groupInstanceId = v >= 7 ? r.nullableString() : null;
    if (v >= 2 && v <= 4) r.int64(); // retentionTimeMs: offsets are kept until the topic is deleted
    const topics = r.array((r) => ({
      name: r.string(),
      partitions: r.array((r) => {
        const partitionIndex = r.int32();
        const committedOffset = r.int64();
        if (v >= 6) r.int32(); // committedLeaderEpoch
        if (v === 1) r.int64(); // commitTimestamp
        return { partitionIndex, committedOffset, committedMetadata: r.nullableString() };
      }),
    }));
    const out = await ctx.broker.groups.commitOffsets({ groupId, generationId, memberId, groupInstanceId, topics });
    const w = new ByteWriter(128);
    if (v >= 3) w.int32(0);
    w.array(out.topics, (w, t) => {
      w.string(t.name);
      w.array(t.partitions, (w, p) => w.int32(p.partitionIndex).int16(p.errorCode));
    });
    return w;
  },
};
