import { ApiHandler } from '../broker/broker-context';
import { ApiKey } from '../protocol/api-keys';
import { ByteWriter } from '../protocol/byte-writer';

const FIRST_VERSION_REQUIRING_KNOWN_MEMBER_ID = 4;

/** JoinGroup v0–v5: the answer is held by the coordinator until the rebalance completes. */
export const joinGroupApi: ApiHandler = {
  apiKey: ApiKey.JoinGroup,
  async handle(ctx, r) {
    const v = ctx.header.apiVersion;
    const groupId = r.string();
    const sessionTimeoutMs = r.int32();
    const rebalanceTimeoutMs = v >= 1 ? r.int32() : sessionTimeoutMs;
    const memberId = r.string();
    const groupInstanceId = v >= 5 ? r.nullableString() : null;
    const protocolType = r.string();
    const protocols = r.array((r) => ({ name: r.string(), metadata: Buffer.from(r.bytes()) }));
    const out = await ctx.broker.groups.join({
      groupId,
      memberId,
      groupInstanceId,
      protocolType,
      protocols,
      sessionTimeoutMs,
      rebalanceTimeoutMs,
      clientId: ctx.header.clientId ?? '',
      clientHost: ctx.clientHost,
      requireKnownMemberId: v >= FIRST_VERSION_REQUIRING_KNOWN_MEMBER_ID,
    });
    const w = new ByteWriter(256);
    if (v >= 2) w.int32(0);
    w.int16(out.errorCode).int32(out.generationId).string(out.protocolName ?? '').string(out.leader).string(out.memberId);
    w.array(out.members, (w, m) => {
      w.string(m.memberId);
      if (v >= 5) w.nullableString(m.groupInstanceId);
      w.bytes(m.metadata);
    });
    return w;
  },
};
