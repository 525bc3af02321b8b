import { ApiHandler } from '../broker/broker-context';
import { ApiKey } from '../protocol/api-keys';
import { ByteWriter } from '../protocol/byte-writer';
import { ErrorCode } from '../protocol/error-codes';

interface PartitionAnswer {
  index: number;
  errorCode: number;
  baseOffset: number;
  logStartOffset: number;
  durable: Promise<void> | null;
}

const ZSTD_MIN_PRODUCE_VERSION = 7;

export const produceApi: ApiHandler = {
  apiKey: ApiKey.Produce,
  async handle(ctx, r) {
    const v = ctx.header.apiVersion;
    r.nullableString(); // transactionalId: transactions are not supported; transactional batches are refused
    const acks = r.int16();
    r.int32(); // timeoutMs
    const now = Date.now();
    const validAcks = acks === -1 || acks === 0 || acks === 1;
    // Appends happen here, synchronously, in request order.
    const topics = r.array((r) => {
      const name = r.string();
      const partitions = r.array((r): PartitionAnswer => {
        const index = r.int32();
        const records = r.nullableBytes();
        const log = ctx.broker.logs.partition(name, index);
        const answer: PartitionAnswer = { index, errorCode: ErrorCode.NONE, baseOffset: -1, logStartOffset: -1, durable: null };
        if (!validAcks) answer.errorCode = ErrorCode.INVALID_REQUIRED_ACKS;
        else if (!log) answer.errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        else if (!records) answer.errorCode = ErrorCode.CORRUPT_MESSAGE;
        else {
          const result = log.append(records, now, v >= ZSTD_MIN_PRODUCE_VERSION);
          answer.logStartOffset = log.logStartOffset;
          if (result.errorCode === ErrorCode.NONE && 'durable' in result) {
            answer.baseOffset = result.baseOffset;
            answer.durable = result.durable;
          } else {
            answer.errorCode = result.errorCode;
            if ('message' in result) {
              ctx.broker.logger.log('debug', 'produce refused', { topic: name, partition: index, errorCode: result.errorCode, reason: result.message });
            }
          }
        }
        return answer;
      });
      return { name, partitions };
    });
    if (acks === 0) return null;
    if (acks === -1) {
      // acks=all: answered once durable per the fsync policy.
      await Promise.all(
        topics.flatMap((t) =>
          t.partitions.map(async (p) => {
            try {
              await p.durable;
            } catch (err) {
              ctx.broker.logger.log('error', 'fsync failed', { topic: t.name, partition: p.index, err: String(err) });
              p.errorCode = ErrorCode.KAFKA_STORAGE_ERROR;
              p.baseOffset = -1;
            }
          }),
        ),
      );
    }
    const w = new ByteWriter(64 + topics.length * 64);
    w.array(topics, (w, t) => {
      w.string(t.name);
      w.array(t.partitions, (w, p) => {
        w.int32(p.index).int16(p.errorCode).int64(p.baseOffset);
        if (v >= 2) w.int64(-1); // logAppendTime: CreateTime topics
        if (v >= 5) w.int64(p.logStartOffset);
      });
    });
    if (v >= 1) w.int32(0);
    return w;
  },
};
