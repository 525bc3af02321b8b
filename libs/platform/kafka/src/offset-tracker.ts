/**
 * Tracks which messages of one partition's batch are finished, and answers
 * the highest offset below which everything is finished: only that may be
 * committed, so a crash never skips a message still in flight.
 */
export class OffsetTracker {
  private readonly pending: bigint[];
  private readonly finished = new Set<bigint>();
  private next = 0;

  /** Offsets in the order they were fetched (ascending). */
  constructor(offsets: string[]) {
    this.pending = offsets.map((offset) => BigInt(offset));
  }

  /** Appends an offset fetched later (pipelined consumption: one tracker for a partition's lifetime). */
  add(offset: string): void {
    this.pending.push(BigInt(offset));
    // Reported offsets are never looked at again: drop them so a long-lived tracker stays small.
    if (this.next > 1_024) {
      this.pending.splice(0, this.next);
      this.next = 0;
    }
  }

  finish(offset: string): void {
    this.finished.add(BigInt(offset));
  }

  /** The last offset of the finished prefix that was not reported yet, or null. */
  advance(): string | null {
    let last: bigint | null = null;
    while (this.next < this.pending.length && this.finished.has(this.pending[this.next])) {
      last = this.pending[this.next];
      this.finished.delete(last);
      this.next++;
    }
    return last === null ? null : last.toString();
  }
}
