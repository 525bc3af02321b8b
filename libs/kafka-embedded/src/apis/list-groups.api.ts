import { ApiHandler } from '../broker/broker-context';
import { ApiKey } from '../protocol/api-keys';
import { ByteWriter } from '../protocol/byte-writer';
import { ErrorCode } from '../protocol/error-codes';

export const listGroupsApi: ApiHandler = {
  apiKey: ApiKey.ListGroups,
  handle(ctx) {
    const v = ctx.header.apiVersion;
    const w = new ByteWriter(128);
    if (v >= 1) w.int32(0);
    w.int16(ErrorCode.NONE);
    w.array(ctx.broker.groups.listGroups(), (w, g) => w.string(g.groupId).string(g.protocolType));
    return w;
  },
};
