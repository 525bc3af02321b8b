import { ApiHandler } from '../broker/broker-context';
import { ApiKey } from '../protocol/api-keys';
import { ByteWriter } from '../protocol/byte-writer';
import { ErrorCode } from '../protocol/error-codes';

const LATEST = -1;
const EARLIEST = -2;

/** ListOffsets v1–v3: earliest, latest, or the first batch at/after a timestamp. */
export const listOffsetsApi: ApiHandler = {
  apiKey: ApiKey.ListOffsets,
  handle(ctx, r) {
    const v = ctx.header.apiVersion;
    r.int32(); // replicaId
    if (v >= 2) r.int8(); // isolationLevel
    const topics = r.array((r) => ({
      name: r.string(),
      partitions: r.array((r) => ({ partition: r.int32(), timestamp: r.int64n() })),
    }));
    const w = new ByteWriter(128);
    if (v >= 2) w.int32(0);
    w.array(topics, (w, t) => {
      w.string(t.name);
      w.array(t.partitions, (w, p) => {
        const log = ctx.broker.logs.partition(t.name, p.partition);
        let errorCode: number = ErrorCode.NONE;
        let timestamp = -1;
        let offset = -1;
        if (!log) errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        else if (p.timestamp === LATEST) offset = log.nextOffset;
        else if (p.timestamp === EARLIEST) offset = log.logStartOffset;
        else if (p.timestamp < 0) errorCode = ErrorCode.INVALID_REQUEST;
        else {
          const found = log.offsetForTimestamp(p.timestamp);
          if (found) {
            offset = found.offset;
            timestamp = found.timestamp;
          }
        }
        w.int32(p.partition).int16(errorCode).int64(timestamp).int64(offset);
      });
    });
    return w;
  },
};
