import { ApiHandler } from '../broker/broker-context';
import { ApiKey } from '../protocol/api-keys';
import { ByteWriter } from '../protocol/byte-writer';
import { ErrorCode } from '../protocol/error-codes';

/** InitProducerId v0–v1 for idempotent producers; a transactional id is refused (no transactions). */
export const initProducerIdApi: ApiHandler = {
  apiKey: ApiKey.InitProducerId,
  handle(ctx, r) {
    const transactionalId = r.nullableString();
    r.int32(); // transactionTimeoutMs
    const w = new ByteWriter(32).int32(0);
    if (transactionalId !== null) {
      ctx.broker.logger.log('warn', 'refused a transactional producer: transactions are not supported', { transactionalId });
      return w.int16(ErrorCode.INVALID_REQUEST).int64(-1).int16(-1);
    }
    return w.int16(ErrorCode.NONE).int64(ctx.broker.producerIds.allocate()).int16(0);
  },
};
