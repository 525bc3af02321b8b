import { ErrorCode } from '../protocol/error-codes';

/** Kafka keeps the last five batches per producer so a retried in-flight batch is recognised. */
const BATCHES_KEPT = 5;
const INT32_MAX = 0x7fffffff;

interface BatchMeta {
  firstSeq: number;
  lastSeq: number;
  baseOffset: number;
  lastOffset: number;
}

interface ProducerEntry {
  epoch: number;
  batches: BatchMeta[];
  lastTimestamp: number;
}

export type SequenceCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; baseOffset: number }
  | { kind: 'error'; errorCode: number; message: string };

export interface ProducerBatch {
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  lastOffsetDelta: number;
}

function lastSequence(b: ProducerBatch): number {
  return (b.baseSequence + b.lastOffsetDelta) % (INT32_MAX + 1);
}

/**
 * Idempotent-producer state of one partition: the producer epoch and the
 * sequence numbers of the last batches per producer id. It is rebuilt from
 * the log on recovery (snapshots make that cheap), so it is exactly as
 * durable as the batches themselves.
 */
export class ProducerStateTable {
  private readonly producers = new Map<number, ProducerEntry>();

  get size(): number {
    return this.producers.size;
  }

  check(b: ProducerBatch): SequenceCheck {
    const entry = this.producers.get(b.producerId);
    const last = lastSequence(b);
    if (!entry) {
      if (b.baseSequence === 0) return { kind: 'append' };
      return {
        kind: 'error',
        errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        message: `unknown producer ${b.producerId} starting at sequence ${b.baseSequence}`,
      };
    }
    if (b.producerEpoch < entry.epoch) {
      return {
        kind: 'error',
        errorCode: ErrorCode.INVALID_PRODUCER_EPOCH,
        message: `epoch ${b.producerEpoch} is older than ${entry.epoch}`,
      };
    }
    if (b.producerEpoch > entry.epoch) {
      if (b.baseSequence === 0) return { kind: 'append' };
      return {
        kind: 'error',
        errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        message: `new epoch ${b.producerEpoch} must start at sequence 0, got ${b.baseSequence}`,
      };
    }
    const dup = entry.batches.find((m) => m.firstSeq === b.baseSequence && m.lastSeq === last);
    if (dup) return { kind: 'duplicate', baseOffset: dup.baseOffset };
    const prev = entry.batches[entry.batches.length - 1];
    const expected = prev ? (prev.lastSeq === INT32_MAX ? 0 : prev.lastSeq + 1) : 0;
    if (b.baseSequence !== expected) {
      return {
        kind: 'error',
        errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        message: `expected sequence ${expected}, got ${b.baseSequence}`,
      };
    }
    return { kind: 'append' };
  }

  update(b: ProducerBatch, baseOffset: number, timestamp: number): void {
    let entry = this.producers.get(b.producerId);
    if (!entry || b.producerEpoch !== entry.epoch) {
      entry = { epoch: b.producerEpoch, batches: [], lastTimestamp: timestamp };
      this.producers.set(b.producerId, entry);
    }
    entry.batches.push({
      firstSeq: b.baseSequence,
      lastSeq: lastSequence(b),
      baseOffset,
      lastOffset: baseOffset + b.lastOffsetDelta,
    });
    if (entry.batches.length > BATCHES_KEPT) entry.batches.shift();
    entry.lastTimestamp = timestamp;
  }

  toJSON(): unknown {
    return [...this.producers].map(([id, e]) => [id, e.epoch, e.lastTimestamp, e.batches]);
  }

  static fromJSON(data: unknown): ProducerStateTable {
    const table = new ProducerStateTable();
    if (!Array.isArray(data)) throw new Error('producer snapshot is not an array');
    for (const row of data) {
      const [id, epoch, lastTimestamp, batches] = row as [number, number, number, BatchMeta[]];
      table.producers.set(id, { epoch, lastTimestamp, batches });
    }
    return table;
  }
}
