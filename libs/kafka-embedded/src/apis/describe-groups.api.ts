import { ApiHandler } from '../broker/broker-context';
import { ApiKey } from '../protocol/api-keys';
import { ByteWriter } from '../protocol/byte-writer';

export const describeGroupsApi: ApiHandler = {
  apiKey: ApiKey.DescribeGroups,
  handle(ctx, r) {
    const v = ctx.header.apiVersion;
    const groups = ctx.broker.groups.describeGroups(r.array((r) => r.string()));
    const w = new ByteWriter(256);
    if (v >= 1) w.int32(0);
    w.array(groups, (w, g) => {
      w.int16(g.errorCode).string(g.groupId).string(g.groupState).string(g.protocolType).string(g.protocolData);
      w.array(g.members, (w, m) => {
        w.string(m.memberId).string(m.clientId).string(m.clientHost).bytes(m.memberMetadata).bytes(m.memberAssignment);
      });
    });
    return w;
  },
};
