import { ApiHandler } from '../broker/broker-context';
import { ApiKey } from '../protocol/api-keys';
import { ByteWriter } from '../protocol/byte-writer';

/** SyncGroup v0–v3: followers wait for the leader's assignment. */
export const syncGroupApi: ApiHandler = {
  apiKey: ApiKey.SyncGroup,
  async handle(ctx, r) {
    const v = ctx.header.apiVersion;
    const groupId = r.string();
    const generationId = r.int32();
    const memberId = r.string();
    const groupInstanceId = v >= 3 ? r.nullableString() : null;
    const assignments = r.array((r) => ({ memberId: r.string(), assignment: Buffer.from(r.bytes()) }));
    const out = await ctx.broker.groups.sync({ groupId, generationId, memberId, groupInstanceId, protocolType: null, protocolName: null, assignments });
    const w = new ByteWriter(128);
    if (v >= 1) w.int32(0);
    return w.int16(out.errorCode).bytes(out.assignment);
  },
};
