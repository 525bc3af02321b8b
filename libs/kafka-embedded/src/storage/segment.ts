import * as fs from 'node:fs';
import * as path from 'node:path';
import { BATCH_HEADER_SIZE, BATCH_LOG_OVERHEAD, BatchHeader, batchProblem, readBatchHeader } from './record-batch';

/** One sparse index entry per this many log bytes (Kafka's index.interval.bytes). */
export const INDEX_INTERVAL_BYTES = 4096;
const INDEX_ENTRY_SIZE = 8;
const SCAN_CHUNK = 1 << 20;
const FIND_CHUNK = 64 * 1024;

export const LOG_SUFFIX = '.log';
export const INDEX_SUFFIX = '.index';

export function segmentFileName(baseOffset: number, suffix: string): string {
  return String(baseOffset).padStart(20, '0') + suffix;
}

export interface ScanResult {
  /** Bytes from the start that hold whole, valid batches. */
  validSize: number;
  /** Offset after the last valid batch, or the segment base when it is empty. */
  nextOffset: number;
  maxTimestamp: number;
  /** Why scanning stopped before the end of the file, if it did. */
  problem: string | null;
}

function readFully(fd: number, buf: Buffer, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buf, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

function writeFully(fd: number, buf: Buffer, position: number): void {
  let done = 0;
  while (done < buf.length) done += fs.writeSync(fd, buf, done, buf.length - done, position + done);
}

/**
 * A segment: a file of record batches (named after its base offset) plus a
 * sparse index of (relative offset, position) pairs. Reads and appends are
 * synchronous positional I/O on the page cache; durability is an explicit
 * fsync (see PartitionLog's fsync policy).
 */
export class Segment {
  private relOffsets: number[] = [];
  private positions: number[] = [];
  private bytesSinceIndex = 0;
  private knownMaxTimestamp: number | undefined;
  /** When the first batch was appended in this process (segment.ms rolling). */
  firstAppendAt: number | undefined;

  private constructor(
    readonly dir: string,
    readonly baseOffset: number,
    private fd: number,
    private indexFd: number,
    public size: number,
  ) {}

  get logPath(): string {
    return path.join(this.dir, segmentFileName(this.baseOffset, LOG_SUFFIX));
  }
  get indexPath(): string {
    return path.join(this.dir, segmentFileName(this.baseOffset, INDEX_SUFFIX));
  }

  static create(dir: string, baseOffset: number): Segment {
    const fd = fs.openSync(path.join(dir, segmentFileName(baseOffset, LOG_SUFFIX)), 'w+');
    const indexFd = fs.openSync(path.join(dir, segmentFileName(baseOffset, INDEX_SUFFIX)), 'w+');
    const seg = new Segment(dir, baseOffset, fd, indexFd, 0);
    seg.knownMaxTimestamp = -1;
    return seg;
  }

  /**
   * Opens an existing segment. `recover` (the last segment) validates every
   * batch (CRC included), truncates a torn or corrupt tail and rebuilds the
   * index; other segments trust their index unless it is unusable.
   */
  static open(
    dir: string,
    baseOffset: number,
    recover: boolean,
    onBatch?: (h: BatchHeader) => void,
  ): { segment: Segment; scan: ScanResult | null } {
    const logPath = path.join(dir, segmentFileName(baseOffset, LOG_SUFFIX));
    const fd = fs.openSync(logPath, 'r+');
    const indexFd = fs.openSync(path.join(dir, segmentFileName(baseOffset, INDEX_SUFFIX)), 'a+');
    const size = fs.fstatSync(fd).size;
    const seg = new Segment(dir, baseOffset, fd, indexFd, size);
    if (!recover) {
      if (!seg.loadIndex()) seg.rebuildIndex();
      return { segment: seg, scan: null };
    }
    const scan = seg.scan(true, onBatch);
    if (scan.validSize < size) {
      fs.ftruncateSync(fd, scan.validSize);
      fs.fsyncSync(fd);
      seg.size = scan.validSize;
    }
    seg.knownMaxTimestamp = scan.maxTimestamp;
    seg.rebuildIndex();
    return { segment: seg, scan };
  }

  /** Walks the batches from the start; stops at the first one that is not valid. */
  scan(checkCrc: boolean, onBatch?: (h: BatchHeader, position: number) => void): ScanResult {
    let buf = Buffer.allocUnsafe(Math.min(SCAN_CHUNK, Math.max(this.size, BATCH_HEADER_SIZE)));
    let bufStart = 0;
    let bufLen = 0;
    let pos = 0;
    let nextOffset = this.baseOffset;
    let maxTimestamp = -1;
    let problem: string | null = null;
    while (pos < this.size) {
      const avail = this.size - pos;
      const want = Math.min(avail, BATCH_HEADER_SIZE);
      if (pos + want > bufStart + bufLen) {
        bufStart = pos;
        bufLen = readFully(this.fd, buf, Math.min(buf.length, avail), pos);
      }
      const at = pos - bufStart;
      if (bufLen - at < BATCH_HEADER_SIZE) {
        problem = 'truncated batch header';
        break;
      }
      const batchSize = buf.readInt32BE(at + 8) + BATCH_LOG_OVERHEAD;
      if (batchSize >= BATCH_HEADER_SIZE && batchSize <= avail && at + batchSize > bufLen) {
        if (batchSize > buf.length) buf = Buffer.allocUnsafe(batchSize);
        bufStart = pos;
        bufLen = readFully(this.fd, buf, Math.min(buf.length, avail), pos);
      }
      const at2 = pos - bufStart;
      problem = batchProblem(buf, at2, Math.min(avail, bufLen - at2), checkCrc);
      if (problem) break;
      const h = readBatchHeader(buf, at2);
      if (h.baseOffset < nextOffset) {
        problem = `batch offset ${h.baseOffset} below the expected ${nextOffset}`;
        break;
      }
      onBatch?.(h, pos);
      nextOffset = h.baseOffset + h.lastOffsetDelta + 1;
      if (h.maxTimestamp > maxTimestamp) maxTimestamp = h.maxTimestamp;
      pos += h.size;
    }
    return { validSize: pos, nextOffset, maxTimestamp, problem };
  }

  private loadIndex(): boolean {
    const bytes = fs.fstatSync(this.indexFd).size;
    if (bytes % INDEX_ENTRY_SIZE !== 0) return false;
    const buf = Buffer.allocUnsafe(bytes);
    readFully(this.indexFd, buf, bytes, 0);
    let lastPos = 0;
    for (let at = 0; at < bytes; at += INDEX_ENTRY_SIZE) {
      const rel = buf.readInt32BE(at);
      const pos = buf.readInt32BE(at + 4);
      if (pos <= lastPos || pos >= this.size || rel < 0) return false;
      this.relOffsets.push(rel);
      this.positions.push(pos);
      lastPos = pos;
    }
    return true;
  }

  /** Rewrites the index from the log (one entry per INDEX_INTERVAL_BYTES). */
  rebuildIndex(): void {
    this.relOffsets = [];
    this.positions = [];
    this.bytesSinceIndex = 0;
    const entries: Buffer[] = [];
    let max = -1;
    const result = this.scan(false, (h, pos) => {
      if (this.bytesSinceIndex >= INDEX_INTERVAL_BYTES) {
        entries.push(this.addIndexEntry(h.baseOffset, pos));
      }
      this.bytesSinceIndex += h.size;
      if (h.maxTimestamp > max) max = h.maxTimestamp;
    });
    if (result.validSize < this.size) {
      // An older segment with a bad tail cannot be appended to anyway: reads stop there.
      this.size = result.validSize;
    }
    this.knownMaxTimestamp = max;
    fs.ftruncateSync(this.indexFd, 0);
    if (entries.length) writeFully(this.indexFd, Buffer.concat(entries), 0);
  }

  private addIndexEntry(baseOffset: number, position: number): Buffer {
    this.relOffsets.push(baseOffset - this.baseOffset);
    this.positions.push(position);
    this.bytesSinceIndex = 0;
    const e = Buffer.allocUnsafe(INDEX_ENTRY_SIZE);
    e.writeInt32BE(baseOffset - this.baseOffset, 0);
    e.writeInt32BE(position, 4);
    return e;
  }

  /** Appends whole batches whose base offsets are already assigned. */
  append(batches: Buffer, firstBaseOffset: number, maxTimestamp: number, now: number): void {
    if (this.bytesSinceIndex >= INDEX_INTERVAL_BYTES) {
      const entry = this.addIndexEntry(firstBaseOffset, this.size);
      writeFully(this.indexFd, entry, (this.relOffsets.length - 1) * INDEX_ENTRY_SIZE);
    }
    writeFully(this.fd, batches, this.size);
    this.size += batches.length;
    this.bytesSinceIndex += batches.length;
    if (this.knownMaxTimestamp !== undefined && maxTimestamp > this.knownMaxTimestamp) {
      this.knownMaxTimestamp = maxTimestamp;
    }
    this.firstAppendAt ??= now;
  }

  /** Largest batch timestamp in the segment (-1 when empty); scanned once for old segments. */
  maxTimestamp(): number {
    if (this.knownMaxTimestamp === undefined) this.knownMaxTimestamp = this.scan(false).maxTimestamp;
    return this.knownMaxTimestamp;
  }

  /** Position of the first batch whose last offset is ≥ offset, or -1 when none is in this segment. */
  findPosition(offset: number): number {
    const rel = offset - this.baseOffset;
    let lo = 0;
    let hi = this.relOffsets.length - 1;
    let pos = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.relOffsets[mid] <= rel) {
        pos = this.positions[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const buf = Buffer.allocUnsafe(FIND_CHUNK);
    while (pos < this.size) {
      const n = readFully(this.fd, buf, Math.min(FIND_CHUNK, this.size - pos), pos);
      let at = 0;
      while (at + BATCH_HEADER_SIZE <= n) {
        const base = Number(buf.readBigInt64BE(at));
        const size = buf.readInt32BE(at + 8) + BATCH_LOG_OVERHEAD;
        const last = base + buf.readInt32BE(at + 23);
        if (last >= offset) return pos + at;
        if (size < BATCH_HEADER_SIZE) return -1;
        at += size;
      }
      if (at === 0) return -1;
      pos += at;
    }
    return -1;
  }

  /**
   * Whole batches from `position`, at most maxBytes of them, but always the
   * first batch whole when `minOneBatch` (a consumer must be able to progress).
   */
  read(position: number, maxBytes: number, minOneBatch: boolean): Buffer {
    const avail = this.size - position;
    if (avail <= 0) return Buffer.alloc(0);
    let buf = Buffer.allocUnsafe(Math.max(Math.min(maxBytes, avail), Math.min(BATCH_HEADER_SIZE, avail)));
    let n = readFully(this.fd, buf, buf.length, position);
    let end = 0;
    while (end + BATCH_HEADER_SIZE <= n) {
      const size = buf.readInt32BE(end + 8) + BATCH_LOG_OVERHEAD;
      if (size < BATCH_HEADER_SIZE) break;
      if (end + size > n) {
        if (end === 0 && minOneBatch && size <= avail) {
          buf = Buffer.allocUnsafe(size);
          n = readFully(this.fd, buf, size, position);
          end = n === size ? size : 0;
        }
        break;
      }
      if (end + size > maxBytes && !(end === 0 && minOneBatch)) break;
      end += size;
    }
    return buf.subarray(0, end);
  }

  /** Every batch of the segment, raw (compaction and producer-state replay). */
  *batches(): Generator<{ header: BatchHeader; position: number; bytes: Buffer }> {
    let pos = 0;
    while (pos < this.size) {
      const bytes = this.read(pos, SCAN_CHUNK, true);
      if (bytes.length === 0) return;
      let at = 0;
      while (at < bytes.length) {
        const header = readBatchHeader(bytes, at);
        yield { header, position: pos + at, bytes: bytes.subarray(at, at + header.size) };
        at += header.size;
      }
      pos += bytes.length;
    }
  }

  sync(): Promise<void> {
    return new Promise((resolve, reject) => fs.fdatasync(this.fd, (err) => (err ? reject(err) : resolve())));
  }

  syncAllSync(): void {
    fs.fsyncSync(this.fd);
    fs.fsyncSync(this.indexFd);
  }

  close(): void {
    fs.closeSync(this.fd);
    fs.closeSync(this.indexFd);
  }

  deleteFiles(): void {
    this.close();
    fs.rmSync(this.logPath, { force: true });
    fs.rmSync(this.indexPath, { force: true });
  }
}
