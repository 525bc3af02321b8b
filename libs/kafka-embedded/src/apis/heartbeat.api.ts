import { ApiHandler } from '../broker/broker-context';
import { ApiKey } from '../protocol/api-keys';
import { ByteWriter } from '../protocol/byte-writer';

export const heartbeatApi: ApiHandler = {
  apiKey: ApiKey.Heartbeat,
  handle(ctx, r) {
    const v = ctx.header.apiVersion;
    const groupId = r.string();
    const generationId = r.int32();
    const memberId = r.string();
    const groupInstanceId = v >= 3 ? r.nullableString() : null;
    const out = ctx.broker.groups.heartbeat({ groupId, generationId, memberId, groupInstanceId });
    const w = new ByteWriter(8);
    if (v >= 1) w.int32(0);
    return w.int16(out.errorCode);
  },
};
