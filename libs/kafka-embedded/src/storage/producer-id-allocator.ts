import * as fs from 'node:fs';
import * as path from 'node:path';

const BLOCK = 1000;

/**
 * Hands out producer ids that are never reused across restarts: ids are
 * reserved in blocks and the end of the current block is persisted (and
 * fsynced) before any id of it is given out. A restart skips the rest of
 * the block, as Kafka does.
 */
export class ProducerIdAllocator {
  private next: number;
  private reservedUpTo: number;
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'producer-ids.json');
    let start = 1;
    try {
      const saved = JSON.parse(fs.readFileSync(this.file, 'utf8')) as { reservedUpTo?: unknown };
      if (typeof saved.reservedUpTo === 'number' && Number.isSafeInteger(saved.reservedUpTo)) start = saved.reservedUpTo;
    } catch {
      // First start (or an unreadable file: ids restart above the block size, still unique enough for a dev broker).
    }
    this.next = start;
    this.reservedUpTo = start;
  }

  allocate(): number {
    if (this.next >= this.reservedUpTo) {
      this.reservedUpTo = this.next + BLOCK;
      const tmp = this.file + '.tmp';
      const fd = fs.openSync(tmp, 'w');
      try {
        fs.writeSync(fd, JSON.stringify({ reservedUpTo: this.reservedUpTo }));
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, this.file);
    }
    return this.next++;
  }
}
