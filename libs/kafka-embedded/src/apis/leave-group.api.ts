import { ApiHandler } from '../broker/broker-context';
import { ApiKey } from '../protocol/api-keys';
import { ByteWriter } from '../protocol/byte-writer';

/** LeaveGroup v0–v2 (one member) and v3 (a batch, as static members leave). */
export const leaveGroupApi: ApiHandler = {
  apiKey: ApiKey.LeaveGroup,
  handle(ctx, r) {
    const v = ctx.header.apiVersion;
    const groupId = r.string();
    const members =
      v >= 3
        ? r.array((r) => ({ memberId: r.string(), groupInstanceId: r.nullableString() }))
        : [{ memberId: r.string(), groupInstanceId: null }];
    const out = ctx.broker.groups.leave({ groupId, members });
    const w = new ByteWriter(64);
    if (v >= 1) w.int32(0);
    w.int16(out.errorCode);
    if (v >= 3) w.array(out.members, (w, m) => w.string(m.memberId).nullableString(m.groupInstanceId).int16(m.errorCode));
    return w;
  },
};
