import type { GroupClock } from './group-clock';

interface ManualTimer {
  id: number;
  at: number;
  fn: () => void;
}

/** A clock for tests: time moves only when advance() is called, firing due timers in order. */
export class ManualClock implements GroupClock {
  private nowMs = 0;
  private nextId = 1;
  private readonly timers = new Map<number, ManualTimer>();

  now(): number {
    return this.nowMs;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { id, at: this.nowMs + Math.max(ms, 0), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Timers still scheduled; 0 after close() proves nothing leaks. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const target = this.nowMs + ms;
    for (;;) {
      let due: ManualTimer | undefined;
      for (const t of this.timers.values()) {
        if (t.at <= target && (!due || t.at < due.at || (t.at === due.at && t.id < due.id))) due = t;
      }
      if (!due) break;
      this.timers.delete(due.id);
      this.nowMs = due.at;
      due.fn();
    }
    this.nowMs = target;
  }
}
