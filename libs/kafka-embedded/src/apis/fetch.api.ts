import { setTimeout as sleep } from 'node:timers/promises';
import { ApiHandler, RequestContext } from '../broker/broker-context';
import { ApiKey } from '../protocol/api-keys';
import { ByteWriter } from '../protocol/byte-writer';
import { ErrorCode } from '../protocol/error-codes';

interface FetchPartition {
  partition: number;
  fetchOffset: number;
  partitionMaxBytes: number;
}

interface PartitionData {
  partition: number;
  errorCode: number;
  highWatermark: number;
  logStartOffset: number;
  records: Buffer;
}

interface Gathered {
  topics: { topic: string; partitions: PartitionData[] }[];
  bytes: number;
  errors: boolean;
}

const EMPTY = Buffer.alloc(0);
/** Kafka caps a fetch's wait at this in practice (replica.fetch.wait.max.ms scale); guards absurd client values. */
const MAX_WAIT_CAP_MS = 60_000;

function gather(ctx: RequestContext, request: { topic: string; partitions: FetchPartition[] }[], maxBytes: number): Gathered {
  const out: Gathered = { topics: [], bytes: 0, errors: false };
  for (const t of request) {
    const partitions: PartitionData[] = [];
    for (const p of t.partitions) {
      const log = ctx.broker.logs.partition(t.topic, p.partition);
      if (!log || log.isClosed) {
        partitions.push({ partition: p.partition, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, highWatermark: -1, logStartOffset: -1, records: EMPTY });
        out.errors = true;
        continue;
      }
      const budget = Math.max(0, Math.min(p.partitionMaxBytes, maxBytes - out.bytes));
      // At least one whole batch, for the first partition that has data, so consumers always progress.
      const read = budget > 0 || out.bytes === 0 ? log.read(p.fetchOffset, budget, out.bytes === 0) : { errorCode: 0, records: EMPTY };
      if (read.errorCode !== ErrorCode.NONE) out.errors = true;
      const records = read.records ?? EMPTY;
      out.bytes += records.length;
      partitions.push({
        partition: p.partition,
        errorCode: read.errorCode,
        highWatermark: log.nextOffset,
        logStartOffset: log.logStartOffset,
        records,
      });
    }
    out.topics.push({ topic: t.topic, partitions });
  }
  return out;
}

/** Resolves on the first append to any of the partitions, or when the caller stops waiting. */
function appendOrTimeout(ctx: RequestContext, request: { topic: string; partitions: FetchPartition[] }[], ms: number): Promise<void> {
  const ac = new AbortController();
  const unsubscribe: (() => void)[] = [];
  const woken = new Promise<void>((resolve) => {
    for (const t of request) {
      for (const p of t.partitions) {
        const log = ctx.broker.logs.partition(t.topic, p.partition);
        if (log) unsubscribe.push(log.onAppend(resolve));
      }
    }
  });
  return Promise.race([woken, sleep(ms, undefined, { signal: ac.signal }).catch(() => undefined), ctx.disconnected, ctx.broker.closing]).finally(() => {
    ac.abort();
    for (const u of unsubscribe) u();
  });
}

/**
 * Fetch v4–v11 without fetch sessions (sessionId 0 is always answered, so
 * clients keep sending full fetches). Long-polls: answered once minBytes are
 * there or maxWaitMs has passed, waking on every append to a fetched partition.
 */
export const fetchApi: ApiHandler = {
  apiKey: ApiKey.Fetch,
  async handle(ctx, r) {
    const v = ctx.header.apiVersion;
    r.int32(); // replicaId
    const maxWaitMs = Math.min(Math.max(0, r.int32()), MAX_WAIT_CAP_MS);
    const minBytes = r.int32();
    const maxBytes = Math.max(0, r.int32());
    r.int8(); // isolationLevel: no transactions, so read_committed sees the same as read_uncommitted
    if (v >= 7) {
      r.int32(); // sessionId
      r.int32(); // sessionEpoch
    }
    const request = r.array((r) => ({
      topic: r.string(),
      partitions: r.array((r): FetchPartition => {
        const partition = r.int32();
        if (v >= 9) r.int32(); // currentLeaderEpoch
        const fetchOffset = r.int64n();
        if (v >= 5) r.int64(); // logStartOffset (followers only)
        const partitionMaxBytes = Math.max(0, r.int32());
        return { partition, fetchOffset, partitionMaxBytes };
      }),
    }));
    if (v >= 7) r.array((r) => ({ topic: r.string(), partitions: r.array((r) => r.int32()) }));
    if (v >= 11) r.string(); // rackId

    const deadline = Date.now() + maxWaitMs;
    let data = gather(ctx, request, maxBytes);
    for (;;) {
      const left = deadline - Date.now();
      if (data.bytes >= minBytes || data.errors || left <= 0) break;
      await appendOrTimeout(ctx, request, left);
      if (!ctx.isConnected()) return null;
      data = gather(ctx, request, maxBytes);
      if (Date.now() >= deadline) break;
    }

    const w = new ByteWriter(256);
    w.int32(0); // throttleTimeMs
    if (v >= 7) w.int16(ErrorCode.NONE).int32(0);
    w.array(data.topics, (w, t) => {
      w.string(t.topic);
      w.array(t.partitions, (w, p) => {
        w.int32(p.partition).int16(p.errorCode).int64(p.highWatermark);
        w.int64(p.highWatermark); // lastStableOffset
        if (v >= 5) w.int64(p.logStartOffset);
        w.int32(0); // abortedTransactions: none
        if (v >= 11) w.int32(-1); // preferredReadReplica
        w.bytes(p.records); // zero-length, never null, when empty
      });
    });
    return w;
  },
};
