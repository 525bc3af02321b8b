import { ApiHandler } from '../broker/broker-context';
import { ApiKey } from '../protocol/api-keys';
import { ByteWriter } from '../protocol/byte-writer';
import { ErrorCode } from '../protocol/error-codes';

const GROUP_KEY_TYPE = 0;

/** FindCoordinator v0–v2: this broker coordinates every group; transaction coordinators do not exist. */
export const findCoordinatorApi: ApiHandler = {
  apiKey: ApiKey.FindCoordinator,
  handle(ctx, r) {
    const v = ctx.header.apiVersion;
    r.string(); // key (group id)
    const keyType = v >= 1 ? r.int8() : GROUP_KEY_TYPE;
    const b = ctx.broker;
    const w = new ByteWriter(64);
    if (v >= 1) w.int32(0);
    if (keyType !== GROUP_KEY_TYPE) {
      w.int16(ErrorCode.INVALID_REQUEST);
      if (v >= 1) w.nullableString('transactions are not supported by this broker');
      return w.int32(-1).string('').int32(-1);
    }
    w.int16(ErrorCode.NONE);
    if (v >= 1) w.nullableString(null);
    return w.int32(b.nodeId).string(b.host).int32(b.port);
  },
};
