import * as fs from 'node:fs';
import * as path from 'node:path';
import { BrokerLogger } from '../broker/broker-logger';
import { ErrorCode } from '../protocol/error-codes';
import { ProducerStateTable } from './producer-state';
import { BatchHeader, batchProblem, compressionOf, Compression, isControl, isTransactional, readBatchHeader, writeBaseOffset } from './record-batch';
import { LOG_SUFFIX, Segment, segmentFileName } from './segment';
import { EffectiveTopicConfig } from './topic-config';

/**
 * - 'always': an acks=-1 produce is answered only after the segment is fsynced
 *   (fsyncs are group-committed across concurrent producers); rolls and
 *   snapshots are fsynced too.
 * - 'never': data goes to the page cache and the OS writes it back. It still
 *   survives `kill -9` of the broker, but not a power loss or kernel crash.
 */
export type FsyncPolicy = 'always' | 'never';

const SNAPSHOT_SUFFIX = '.snapshot';
const CLEANED_SUFFIX = '.cleaned';
const SNAPSHOTS_KEPT = 2;

export type AppendResult =
  | { errorCode: 0; baseOffset: number; durable: Promise<void> }
  | { errorCode: number; message: string };

export type ReadResult = { errorCode: 0; records: Buffer } | { errorCode: number; records: null };

export interface PartitionLogOptions {
  dir: string;
  topic: string;
  partition: number;
  fsync: FsyncPolicy;
  config: () => EffectiveTopicConfig;
  logger: BrokerLogger;
}

function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  }
}

/** One partition: an ordered list of segments, the last one active. */
export class PartitionLog {
  segments: Segment[] = [];
  nextOffset = 0;
  producers = new ProducerStateTable();
  private readonly listeners = new Set<() => void>();
  private syncing: Promise<void> | null = null;
  private syncQueued: Promise<void> | null = null;
  private closed = false;
  /** nextOffset when the compactor last finished (skip clean logs). */
  compactedUpTo = -1;

  private constructor(private readonly opts: PartitionLogOptions) {}

  get topic(): string {
    return this.opts.topic;
  }
  get partition(): number {
    return this.opts.partition;
  }
  get dir(): string {
    return this.opts.dir;
  }
  get logStartOffset(): number {
    return this.segments[0].baseOffset;
  }
  get active(): Segment {
    return this.segments[this.segments.length - 1];
  }
  get sizeBytes(): number {
    return this.segments.reduce((n, s) => n + s.size, 0);
  }
  get isClosed(): boolean {
    return this.closed;
  }

  /** Opens (or creates) the partition directory and recovers its tail. */
  static open(opts: PartitionLogOptions): PartitionLog {
    const log = new PartitionLog(opts);
    fs.mkdirSync(opts.dir, { recursive: true });
    const names = fs.readdirSync(opts.dir);
    for (const n of names) {
      // Leftovers of an interrupted compaction or snapshot write.
      if (n.endsWith(CLEANED_SUFFIX) || n.endsWith('.tmp')) fs.rmSync(path.join(opts.dir, n), { force: true });
    }
    const bases = names
      .filter((n) => n.endsWith(LOG_SUFFIX))
      .map((n) => Number(n.slice(0, -LOG_SUFFIX.length)))
      .filter((n) => Number.isSafeInteger(n))
      .sort((a, b) => a - b);
    if (bases.length === 0) {
      log.segments.push(Segment.create(opts.dir, 0));
      return log;
    }
    const lastBase = bases[bases.length - 1];
    const snapshot = log.loadSnapshot(lastBase);
    const replay = (h: BatchHeader): void => {
      if (h.producerId >= 0 && h.baseOffset >= snapshot) {
        log.producers.update(h, h.baseOffset, h.maxTimestamp);
      }
    };
    for (let i = 0; i < bases.length - 1; i++) {
      const { segment } = Segment.open(opts.dir, bases[i], false);
      log.segments.push(segment);
      // Only segments that reach past the snapshot need replaying.
      if (bases[i + 1] > snapshot) for (const b of segment.batches()) replay(b.header);
    }
    const { segment, scan } = Segment.open(opts.dir, lastBase, true, replay);
    log.segments.push(segment);
    if (!scan) throw new Error('recovery scan missing');
    log.nextOffset = scan.nextOffset;
    if (scan.problem) {
      opts.logger.log('warn', 'truncated a torn or corrupt log tail on recovery', {
        topic: opts.topic,
        partition: opts.partition,
        segment: lastBase,
        validBytes: scan.validSize,
        reason: scan.problem,
      });
    }
    return log;
  }

  /** Loads the newest snapshot at or below `maxOffset`; returns its offset (0 when none: replay all). */
  private loadSnapshot(maxOffset: number): number {
    const snaps = fs
      .readdirSync(this.opts.dir)
      .filter((n) => n.endsWith(SNAPSHOT_SUFFIX))
      .map((n) => Number(n.slice(0, -SNAPSHOT_SUFFIX.length)))
      .filter((n) => Number.isSafeInteger(n) && n <= maxOffset)
      .sort((a, b) => b - a);
    for (const off of snaps) {
      try {
        const raw = fs.readFileSync(path.join(this.opts.dir, segmentFileName(off, SNAPSHOT_SUFFIX)), 'utf8');
        this.producers = ProducerStateTable.fromJSON(JSON.parse(raw));
        return off;
      } catch {
        // A damaged snapshot: fall back to an older one, or a full replay.
      }
    }
    this.producers = new ProducerStateTable();
    return 0;
  }

  private writeSnapshot(offset: number): void {
    const file = path.join(this.opts.dir, segmentFileName(offset, SNAPSHOT_SUFFIX));
    const tmp = file + '.tmp';
    fs.writeFileSync(tmp, JSON.stringify(this.producers.toJSON()));
    if (this.opts.fsync === 'always') {
      const fd = fs.openSync(tmp, 'r');
      fs.fsyncSync(fd);
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    const all = fs
      .readdirSync(this.opts.dir)
      .filter((n) => n.endsWith(SNAPSHOT_SUFFIX))
      .sort()
      .reverse();
    for (const old of all.slice(SNAPSHOTS_KEPT)) fs.rmSync(path.join(this.opts.dir, old), { force: true });
  }

  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Validates and appends the batches of one produce request for this
   * partition. Batches are stored as received; only baseOffset is rewritten.
   */
  append(records: Buffer, now: number, allowZstd: boolean): AppendResult {
    if (this.closed) return { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, message: 'partition is closed' };
    const config = this.opts.config();
    const headers: { at: number; h: BatchHeader }[] = [];
    for (let at = 0; at < records.length; ) {
      const problem = batchProblem(records, at, records.length - at);
      if (problem) return { errorCode: ErrorCode.CORRUPT_MESSAGE, message: problem };
      const h = readBatchHeader(records, at);
      if (isTransactional(h.attributes) || isControl(h.attributes)) {
        return { errorCode: ErrorCode.INVALID_REQUEST, message: 'transactions are not supported by this broker' };
      }
      if (compressionOf(h.attributes) > Compression.Zstd) {
        return { errorCode: ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, message: 'unknown compression codec' };
      }
      if (compressionOf(h.attributes) === Compression.Zstd && !allowZstd) {
        return { errorCode: ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, message: 'zstd needs Produce v7+' };
      }
      if (h.size > config.maxMessageBytes) {
        return { errorCode: ErrorCode.MESSAGE_TOO_LARGE, message: `batch of ${h.size} bytes exceeds max.message.bytes` };
      }
      headers.push({ at, h });
      at += h.size;
    }
    if (headers.length === 0) return { errorCode: ErrorCode.CORRUPT_MESSAGE, message: 'empty record set' };

    // Idempotence: checked for the whole set before anything is written.
    const inSet = new Map<number, number>();
    for (const { h } of headers) {
      if (h.producerId < 0) continue;
      const prevInSet = inSet.get(h.producerId);
      if (prevInSet === undefined) {
        const check = this.producers.check(h);
        if (check.kind === 'duplicate') {
          if (headers.length === 1) return { errorCode: 0, baseOffset: check.baseOffset, durable: this.durable() };
          return { errorCode: ErrorCode.DUPLICATE_SEQUENCE_NUMBER, message: 'duplicate batch inside a multi-batch set' };
        }
        if (check.kind === 'error') return { errorCode: check.errorCode, message: check.message };
      } else if (h.baseSequence !== prevInSet + 1) {
        return { errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, message: 'sequence gap inside the record set' };
      }
      inSet.set(h.producerId, h.baseSequence + h.lastOffsetDelta);
    }

    this.maybeRoll(records.length, now);
    const firstBase = this.nextOffset;
    let next = firstBase;
    let maxTs = -1;
    for (const { at, h } of headers) {
      writeBaseOffset(records, at, next);
      h.baseOffset = next;
      next += h.lastOffsetDelta + 1;
      if (h.maxTimestamp > maxTs) maxTs = h.maxTimestamp;
    }
    try {
      this.active.append(records, firstBase, maxTs, now);
    } catch (err) {
      this.opts.logger.log('error', 'append failed', { topic: this.topic, partition: this.partition, err: String(err) });
      return { errorCode: ErrorCode.KAFKA_STORAGE_ERROR, message: 'append failed' };
    }
    this.nextOffset = next;
    for (const { h } of headers) if (h.producerId >= 0) this.producers.update(h, h.baseOffset, h.maxTimestamp);
    for (const l of this.listeners) l();
    return { errorCode: 0, baseOffset: firstBase, durable: this.durable() };
  }

  private durable(): Promise<void> {
    if (this.opts.fsync !== 'always') return Promise.resolve();
    const p = this.sync();
    // acks=1/0 never await it: a failed fsync must not become an unhandled rejection.
    p.catch(() => undefined);
    return p;
  }

  /** Group commit: one fsync in flight, at most one queued behind it for everyone who arrives meanwhile. */
  sync(): Promise<void> {
    if (!this.syncing) {
      const seg = this.active;
      this.syncing = seg.sync().finally(() => {
        this.syncing = null;
      });
      return this.syncing;
    }
    this.syncQueued ??= this.syncing
      .catch(() => undefined)
      .then(() => {
        this.syncQueued = null;
        return this.sync();
      });
    return this.syncQueued;
  }

  private maybeRoll(incoming: number, now: number): void {
    const config = this.opts.config();
    const seg = this.active;
    if (seg.size === 0) return;
    const bySize = seg.size + incoming > config.segmentBytes;
    const byTime = seg.firstAppendAt !== undefined && config.segmentMs >= 0 && now - seg.firstAppendAt > config.segmentMs;
    if (bySize || byTime) this.roll();
  }

  /** Starts a new active segment at nextOffset; the producer state at that point is snapshotted first. */
  roll(): void {
    const old = this.active;
    if (this.opts.fsync === 'always') old.syncAllSync();
    this.writeSnapshot(this.nextOffset);
    this.segments.push(Segment.create(this.opts.dir, this.nextOffset));
    if (this.opts.fsync === 'always') fsyncDir(this.opts.dir);
  }

  /** Whole batches from `offset` (the batch containing it first). */
  read(offset: number, maxBytes: number, minOneBatch: boolean): ReadResult {
    if (offset < this.logStartOffset || offset > this.nextOffset) {
      return { errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, records: null };
    }
    if (offset === this.nextOffset) return { errorCode: 0, records: Buffer.alloc(0) };
    let i = this.segmentIndexFor(offset);
    for (; i < this.segments.length; i++) {
      const seg = this.segments[i];
      const pos = seg.findPosition(offset);
      if (pos >= 0) return { errorCode: 0, records: seg.read(pos, maxBytes, minOneBatch) };
    }
    return { errorCode: 0, records: Buffer.alloc(0) };
  }

  private segmentIndexFor(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.segments[mid].baseOffset <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** First batch whose max timestamp is ≥ ts (batch granularity), or null. */
  offsetForTimestamp(ts: number): { offset: number; timestamp: number } | null {
    for (const seg of this.segments) {
      if (seg.maxTimestamp() < ts) continue;
      for (const { header } of seg.batches()) {
        if (header.maxTimestamp >= ts) return { offset: Math.max(header.baseOffset, this.logStartOffset), timestamp: header.maxTimestamp };
      }
    }
    return null;
  }

  /** retention.ms / retention.bytes / segment.ms: whole segments go, the log start offset moves. */
  applyRetention(now: number): number {
    const config = this.opts.config();
    let deleted = 0;
    const active = this.active;
    if (active.size > 0 && active.firstAppendAt !== undefined && config.segmentMs >= 0 && now - active.firstAppendAt > config.segmentMs) {
      this.roll();
    }
    if (!config.delete) return 0;
    if (config.retentionMs >= 0) {
      if (this.active.size > 0 && this.active.maxTimestamp() < now - config.retentionMs) this.roll();
      while (this.segments.length > 1 && this.segments[0].maxTimestamp() < now - config.retentionMs) {
        this.deleteOldest();
        deleted++;
      }
    }
    if (config.retentionBytes >= 0) {
      let total = this.sizeBytes;
      while (this.segments.length > 1 && total - this.segments[0].size >= config.retentionBytes) {
        total -= this.segments[0].size;
        this.deleteOldest();
        deleted++;
      }
    }
    if (deleted) {
      this.opts.logger.log('info', 'retention deleted segments', {
        topic: this.topic,
        partition: this.partition,
        segments: deleted,
        logStartOffset: this.logStartOffset,
      });
    }
    return deleted;
  }

  private deleteOldest(): void {
    this.segments.shift()?.deleteFiles();
  }

  /** Swaps a non-active segment for its compacted copy (already written to `cleanedPath`). */
  replaceSegment(old: Segment, cleanedPath: string): boolean {
    const i = this.segments.indexOf(old);
    if (i < 0 || i === this.segments.length - 1 || this.closed) {
      fs.rmSync(cleanedPath, { force: true });
      return false;
    }
    old.close();
    fs.renameSync(cleanedPath, old.logPath);
    fs.rmSync(old.indexPath, { force: true });
    if (this.opts.fsync === 'always') fsyncDir(this.opts.dir);
    this.segments[i] = Segment.open(this.opts.dir, old.baseOffset, false).segment;
    return true;
  }

  cleanedPathFor(seg: Segment): string {
    return seg.logPath + CLEANED_SUFFIX;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.syncing;
    } catch {
      // Reported where it was awaited.
    }
    for (const l of this.listeners) l();
    for (const seg of this.segments) {
      if (this.opts.fsync === 'always') seg.syncAllSync();
      seg.close();
    }
  }

  /** Closes and removes the partition's files (DeleteTopics). */
  async destroy(): Promise<void> {
    await this.close();
    fs.rmSync(this.opts.dir, { recursive: true, force: true });
  }
}
