import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const writeAsync = promisify(fs.write);
const fsyncAsync = promisify(fs.fsync);

export interface CommittedOffset {
  offset: bigint;
  metadata: string;
  commitTimestamp: number;
}

export interface OffsetToCommit {
  topic: string;
  partition: number;
  offset: bigint;
  metadata: string;
}

export interface OffsetStoreOptions {
  /** null keeps offsets in memory only. */
  dataDir: string | null;
  fsync: 'always' | 'never';
  now: () => number;
  /** Rewrite the log once this many records (and at least one per group) were appended since the last rewrite. */
  compactAfterRecords?: number;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

/** One line of the log. A commit request is one line, so a torn write loses the whole request, never half of it. */
type LogRecord =
  | { type: 'commit'; group: string; offsets: [topic: string, partition: number, offset: string, metadata: string, ts: number][] }
  | { type: 'delete-topic'; topic: string };

interface QueuedWrite {
  line: string;
  apply: () => void;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const DEFAULT_COMPACT_AFTER_RECORDS = 1000;

/**
 * Committed offsets, kept in memory and in an append-only log of JSON lines
 * (`<dataDir>/__consumer_offsets/offsets.log`) that is replayed on start.
 * Concurrent commits share one write and one fsync; memory is updated only
 * once a record is durable, so a fetch never sees an offset a crash could lose.
 */
export class OffsetStore {
  /** group → topic → partition → offset */
  private readonly offsets = new Map<string, Map<string, Map<number, CommittedOffset>>>();
  private readonly logPath: string | null;
  private fd: number | null = null;
  /** Bytes of the log known to be whole records: a failed write is truncated back to here. */
  private size = 0;
  private recordsSinceCompact = 0;
  private queue: QueuedWrite[] = [];
  private flushing: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly options: OffsetStoreOptions) {
    if (options.dataDir === null) {
      this.logPath = null;
      return;
    }
    const dir = path.join(options.dataDir, '__consumer_offsets');
    fs.mkdirSync(dir, { recursive: true });
    this.logPath = path.join(dir, 'offsets.log');
    // A leftover temp file means a compaction died before its rename: the log itself is intact.
    fs.rmSync(`${this.logPath}.tmp`, { force: true });
    this.load();
    this.fd = fs.openSync(this.logPath, 'a');
    if (this.recordsSinceCompact >= this.compactThreshold()) this.compact();
  }

  groupIds(): string[] {
    return [...this.offsets.keys()];
  }

  hasOffsets(groupId: string): boolean {
    return this.offsets.has(groupId);
  }

  get(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.offsets.get(groupId)?.get(topic)?.get(partition);
  }

  /** Every committed offset of a group, topic by topic. */
  all(groupId: string): ReadonlyMap<string, ReadonlyMap<number, CommittedOffset>> {
    return this.offsets.get(groupId) ?? new Map();
  }

  commit(groupId: string, entries: OffsetToCommit[]): Promise<void> {
    const ts = this.options.now();
    const record: LogRecord = {
      type: 'commit',
      group: groupId,
      offsets: entries.map((e) => [e.topic, e.partition, e.offset.toString(), e.metadata, ts]),
    };
    return this.append(record);
  }

  deleteTopic(topic: string): Promise<void> {
    return this.append({ type: 'delete-topic', topic });
  }

  /** Waits for queued writes, then closes the log. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing) await this.flushing;
    if (this.fd !== null) {
      fs.closeSync(this.fd);
      this.fd = null;
    }
  }

  private append(record: LogRecord): Promise<void> {
    if (this.closed) return Promise.reject(new Error('offset store is closed'));
    const apply = (): void => this.apply(record);
    if (this.fd === null) {
      apply();
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ line: `${JSON.stringify(record)}\n`, apply, resolve, reject });
      if (!this.flushing) this.flushing = this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.queue.length > 0 && this.fd !== null) {
        const batch = this.queue;
        this.queue = [];
        const buf = Buffer.from(batch.map((w) => w.line).join(''), 'utf8');
        try {
          let written = 0;
          while (written < buf.length) {
            written += (await writeAsync(this.fd, buf, written, buf.length - written)).bytesWritten;
          }
          if (this.options.fsync === 'always') await fsyncAsync(this.fd);
        } catch (err) {
          this.log('error', 'offset log write failed', { error: String(err) });
          // Cut a partial record off so the next append starts on a line of its own.
          try {
            fs.ftruncateSync(this.fd, this.size);
          } catch {
            // The next load drops an unparsable line anyway.
          }
          for (const w of batch) w.reject(err);
          continue;
        }
        this.size += buf.length;
        this.recordsSinceCompact += batch.length;
        for (const w of batch) {
          w.apply();
          w.resolve();
        }
        if (this.recordsSinceCompact >= this.compactThreshold()) {
          try {
            this.compact();
          } catch (err) {
            this.log('error', 'offset log compaction failed', { error: String(err) });
          }
        }
      }
    } finally {
      this.flushing = null;
    }
  }

  private apply(record: LogRecord): void {
    if (record.type === 'commit') {
      let topics = this.offsets.get(record.group);
      if (!topics) {
        topics = new Map();
        this.offsets.set(record.group, topics);
      }
      for (const [topic, partition, offset, metadata, ts] of record.offsets) {
        let partitions = topics.get(topic);
        if (!partitions) {
          partitions = new Map();
          topics.set(topic, partitions);
        }
        partitions.set(partition, { offset: BigInt(offset), metadata, commitTimestamp: ts });
      }
    } else {
      for (const [group, topics] of this.offsets) {
        topics.delete(record.topic);
        if (topics.size === 0) this.offsets.delete(group);
      }
    }
  }

  private load(): void {
    const logPath = this.logPath as string;
    if (!fs.existsSync(logPath)) return;
    const data = fs.readFileSync(logPath);
    let pos = 0;
    for (;;) {
      const nl = data.indexOf(0x0a, pos);
      if (nl < 0) break;
      const line = data.subarray(pos, nl).toString('utf8');
      pos = nl + 1;
      if (line.length === 0) continue;
      try {
        this.apply(JSON.parse(line) as LogRecord);
        this.recordsSinceCompact++;
      } catch (err) {
        this.log('warn', 'skipping corrupt offset log record', { error: String(err) });
      }
    }
    if (pos < data.length) {
      // A record without its newline was cut short by a crash mid-write: it was never acknowledged.
      this.log('warn', 'truncating torn tail of offset log', { bytes: data.length - pos });
      fs.truncateSync(logPath, pos);
    }
    this.size = pos;
  }

  private compactThreshold(): number {
    return Math.max(this.options.compactAfterRecords ?? DEFAULT_COMPACT_AFTER_RECORDS, this.offsets.size);
  }

  /** Rewrites the log as one record per group: temp file, fsync, rename, so a crash leaves either log whole. */
  private compact(): void {
    const logPath = this.logPath as string;
    const tmpPath = `${logPath}.tmp`;
    const lines: string[] = [];
    for (const [group, topics] of this.offsets) {
      const offsets: [string, number, string, string, number][] = [];
      for (const [topic, partitions] of topics) {
        for (const [partition, c] of partitions) {
          offsets.push([topic, partition, c.offset.toString(), c.metadata, c.commitTimestamp]);
        }
      }
      const record: LogRecord = { type: 'commit', group, offsets };
      lines.push(`${JSON.stringify(record)}\n`);
    }
    const buf = Buffer.from(lines.join(''), 'utf8');
    const tmpFd = fs.openSync(tmpPath, 'w');
    try {
      fs.writeSync(tmpFd, buf);
      fs.fsyncSync(tmpFd);
    } finally {
      fs.closeSync(tmpFd);
    }
    fs.renameSync(tmpPath, logPath);
    this.fsyncDir(path.dirname(logPath));
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = fs.openSync(logPath, 'a');
    this.size = buf.length;
    this.recordsSinceCompact = 0;
    this.log('debug', 'compacted offset log', { groups: lines.length, bytes: buf.length });
  }

  private fsyncDir(dir: string): void {
    // Makes the rename durable; not every platform allows fsync on a directory.
    try {
      const dirFd = fs.openSync(dir, 'r');
      try {
        fs.fsyncSync(dirFd);
      } finally {
        fs.closeSync(dirFd);
      }
    } catch {
      // best effort
    }
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void {
    this.options.log?.(level, msg, fields);
  }
}
