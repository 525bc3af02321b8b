/**
 * Event ids seen within a time window: the memory behind "deduplicate by
 * event id". Ids are reserved before the event is forwarded (so two copies
 * racing through one process cannot both pass) and released if forwarding
 * fails (so a retry is not mistaken for a duplicate).
 */
export class SeenEvents {
  /** id → when it stops counting as seen (ms); Map keeps insertion order, so expiry is a prefix scan. */
  private readonly expiries = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  /** True if the id was free and is now reserved; false if it is a duplicate. */
  reserve(id: string, now: number): boolean {
    this.prune(now);
    // History arrives out of order, so pruning may leave an expired id behind: compare, don't just look it up.
    const expiry = this.expiries.get(id);
    if (expiry !== undefined && expiry > now) return false;
    this.expiries.delete(id);
    this.expiries.set(id, now + this.windowMs);
    return true;
  }

  release(id: string): void {
    this.expiries.delete(id);
  }

  /** Learns an id forwarded at `at` (by this or another instance). */
  remember(id: string, at: number, now: number): void {
    const expiry = at + this.windowMs;
    if (expiry <= now || (this.expiries.get(id) ?? 0) >= expiry) return;
    this.expiries.set(id, expiry);
  }

  get size(): number {
    return this.expiries.size;
  }

  private prune(now: number): void {
    for (const [id, expiry] of this.expiries) {
      if (expiry > now) break;
      this.expiries.delete(id);
    }
  }
}
