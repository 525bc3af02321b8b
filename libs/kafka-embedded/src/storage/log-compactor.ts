import * as fs from 'node:fs';
import { setImmediate as nextTick } from 'node:timers/promises';
import * as zlib from 'node:zlib';
import { PartitionLog } from './partition-log';
import { BATCH_HEADER_SIZE, Compression, compressionOf, decodeRecords, DecodedRecord, encodeRecords, rebuildBatch } from './record-batch';


/** Batches the compactor can look into; snappy/lz4/zstd are kept whole (no native codecs here). */
function readable(attributes: number): boolean {
  const c = compressionOf(attributes);
  return c === Compression.None || c === Compression.Gzip;
}

// Synchronous on purpose: segment reads are positional reads on an fd that
// retention or DeleteTopics may close, so nothing may await mid-segment.
function recordsOf(bytes: Buffer, attributes: number, count: number): DecodedRecord[] | null {
  try {
    const section = bytes.subarray(BATCH_HEADER_SIZE);
    const plain = compressionOf(attributes) === Compression.Gzip ? zlib.gunzipSync(section) : section;
    return decodeRecords(plain, count);
  } catch {
    return null;
  }
}

export interface CompactionStats {
  segments: number;
  recordsRemoved: number;
}

/**
 * cleanup.policy=compact: keeps the latest record per key in every segment but
 * the active one (whose tail is still being written), and drops tombstones
 * older than delete.retention.ms. Offsets never change: a rewritten batch keeps
 * its header (offset range, producer, sequence) and loses records only.
 */
export async function compactLog(log: PartitionLog, now: number, deleteRetentionMs: number): Promise<CompactionStats> {
  const stats: CompactionStats = { segments: 0, recordsRemoved: 0 };
  const segments = log.segments.slice(0, -1);
  if (segments.length === 0) return stats;
  const endOffset = log.nextOffset;

  // Pass 1: the last offset of every key, over the whole log (the active segment included).
  const latest = new Map<string, number>();
  for (const seg of log.segments.slice()) {
    await nextTick();
    if (log.isClosed || !log.segments.includes(seg)) return stats;
    for (const { header, bytes } of seg.batches()) {
      if (header.baseOffset >= endOffset) break;
      if (!readable(header.attributes)) continue;
      const records = recordsOf(bytes, header.attributes, header.recordCount);
      if (!records) continue;
      for (const r of records) if (r.key) latest.set(r.key.toString('latin1'), header.baseOffset + r.offsetDelta);
    }
  }

  // Pass 2: rewrite each closed segment that loses something.
  for (const seg of segments) {
    await nextTick();
    if (log.isClosed || !log.segments.includes(seg)) return stats;
    const out: Buffer[] = [];
    let changed = false;
    for (const { header, bytes } of seg.batches()) {
      if (!readable(header.attributes)) {
        out.push(bytes);
        continue;
      }
      const records = recordsOf(bytes, header.attributes, header.recordCount);
      if (!records) {
        out.push(bytes);
        continue;
      }
      const kept = records.filter((r) => {
        if (!r.key) return true;
        if (latest.get(r.key.toString('latin1')) !== header.baseOffset + r.offsetDelta) return false;
        const ts = header.baseTimestamp + Number(r.timestampDelta);
        return !(r.value === null && ts < now - deleteRetentionMs);
      });
      if (kept.length === records.length) {
        out.push(bytes);
        continue;
      }
      changed = true;
      stats.recordsRemoved += records.length - kept.length;
      if (kept.length === 0) continue;
      const plain = encodeRecords(kept);
      const section = compressionOf(header.attributes) === Compression.Gzip ? zlib.gzipSync(plain) : plain;
      out.push(rebuildBatch(bytes, section, kept.length));
    }
    if (!changed) continue;
    const cleaned = log.cleanedPathFor(seg);
    const fd = fs.openSync(cleaned, 'w');
    try {
      fs.writeSync(fd, Buffer.concat(out));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (log.replaceSegment(seg, cleaned)) stats.segments++;
  }
  return stats;
}
