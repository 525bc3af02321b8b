import { createHash } from 'node:crypto';

/** Slots a table starts with (and never shrinks below). */
const MIN_SLOTS = 1_024;
/** A table is rebuilt once this share of its slots is taken (live, expired or released). */
const MAX_LOAD = 0.75;
/** Expiry of a slot never used: ends a probe. */
const EMPTY = 0;
/** Expiry of a released slot: never live, keeps the probe chain intact. */
const RELEASED = -1;
/** 32-bit words of the key's fingerprint kept per slot (96 bits: a false duplicate is out of reach). */
const WORDS = 3;
/** Bytes per slot: the fingerprint plus a float64 expiry. */
export const SEEN_EVENTS_BYTES_PER_SLOT = WORDS * 4 + 8;

/**
 * Event keys — (workspace, event id): ids are unique per workspace, so one
 * tenant can never suppress another's events — seen within a time window: the
 * memory behind "deduplicate by event id". Keys are reserved before the event
 * is forwarded (so two copies racing through one process cannot both pass)
 * and released if forwarding fails (so a retry is not mistaken for a duplicate).
 *
 * Compact and bounded (decision 0090): an open-addressing table of 96-bit
 * fingerprints (SHA-256 of the key) and expiries in typed arrays, 20 bytes per
 * slot instead of a Map entry per id; it grows with the ids in the window up to
 * `maxIds`, and past that forgets the oldest first (duplicates may then pass,
 * which at-least-once allows; an event is never wrongly dropped).
 */
export class SeenEvents {
  private keys: Uint32Array;
  private expiries: Float64Array;
  private mask: number;
  /** Slots holding a key (live, expired or released). */
  private occupied = 0;
  private readonly maxSlots: number;
  private evictedIds = 0;

  constructor(
    private readonly windowMs: number,
    maxIds = 2_000_000,
  ) {
    // Rebuilt tables are at most half full, so `maxIds` always fit in the largest one.
    this.maxSlots = Math.max(MIN_SLOTS, nextPowerOfTwo(maxIds * 2));
    this.keys = new Uint32Array(MIN_SLOTS * WORDS);
    this.expiries = new Float64Array(MIN_SLOTS);
    this.mask = MIN_SLOTS - 1;
  }

  /** True if the key was free and is now reserved; false if it is a duplicate. */
  reserve(workspaceId: string, id: string, now: number): boolean {
    const fingerprint = fingerprintOf(workspaceId, id);
    const slot = this.find(fingerprint, now);
    if (slot.match >= 0) {
      if (this.expiries[slot.match] > now) return false;
      this.expiries[slot.match] = now + this.windowMs;
      return true;
    }
    this.insert(fingerprint, now + this.windowMs, slot, now);
    return true;
  }

  release(workspaceId: string, id: string): void {
    const slot = this.find(fingerprintOf(workspaceId, id), Number.POSITIVE_INFINITY);
    if (slot.match >= 0) this.expiries[slot.match] = RELEASED;
  }

  /** Learns a key forwarded at `at` (by this or another instance). */
  remember(workspaceId: string, id: string, at: number, now: number): void {
    const expiry = at + this.windowMs;
    if (expiry <= now) return;
    const fingerprint = fingerprintOf(workspaceId, id);
    const slot = this.find(fingerprint, now);
    if (slot.match >= 0) {
      if (this.expiries[slot.match] < expiry) this.expiries[slot.match] = expiry;
      return;
    }
    this.insert(fingerprint, expiry, slot, now);
  }

  /** Keys held (expired ones until their slot is reused or the table rebuilt). */
  get size(): number {
    return this.occupied;
  }

  /** Bytes of the table (what grows with traffic, up to the bound). */
  get bytes(): number {
    return this.keys.byteLength + this.expiries.byteLength;
  }

  /** Live keys forgotten early because more than `maxIds` were in the window. */
  get evicted(): number {
    return this.evictedIds;
  }

  /** The slot holding the fingerprint, or else the first reusable (expired or released) slot and the empty slot that ended the probe. */
  private find(fingerprint: Uint32Array, now: number): { match: number; reusable: number; empty: number } {
    let reusable = -1;
    for (let index = fingerprint[0] & this.mask; ; index = (index + 1) & this.mask) {
      const expiry = this.expiries[index];
      if (expiry === EMPTY) return { match: -1, reusable, empty: index };
      const base = index * WORDS;
      if (this.keys[base] === fingerprint[0] && this.keys[base + 1] === fingerprint[1] && this.keys[base + 2] === fingerprint[2]) {
        return { match: index, reusable, empty: -1 };
      }
      if (reusable < 0 && expiry <= now) reusable = index;
    }
  }

  private insert(fingerprint: Uint32Array, expiry: number, slot: { reusable: number; empty: number }, now: number): void {
    if (slot.reusable >= 0) {
      this.write(slot.reusable, fingerprint, expiry);
      return;
    }
    if (this.occupied + 1 > this.expiries.length * MAX_LOAD) {
      this.rebuild(now);
      this.write(this.find(fingerprint, now).empty, fingerprint, expiry);
    } else {
      this.write(slot.empty, fingerprint, expiry);
    }
    this.occupied++;
  }

  private write(index: number, fingerprint: Uint32Array, expiry: number): void {
    this.keys.set(fingerprint, index * WORDS);
    this.expiries[index] = expiry;
  }

  /**
   * Copies the live keys into a table at most half full (so the next rebuild is
   * many inserts away): bigger while the window holds more, never past the
   * bound, where the keys that expire first are forgotten.
   */
  private rebuild(now: number): void {
    const oldKeys = this.keys;
    const oldExpiries = this.expiries;
    let live = 0;
    for (let index = 0; index < oldExpiries.length; index++) if (oldExpiries[index] > now) live++;
    // One more than the live keys: the insert that triggered the rebuild.
    const keep = Math.min(live, this.maxSlots / 2 - 1);
    let oldest = now;
    if (keep < live) {
      const expiries = oldExpiries.filter((expiry) => expiry > now).sort();
      oldest = expiries[live - keep - 1];
      this.evictedIds += live - keep;
    }
    const slots = Math.min(this.maxSlots, Math.max(MIN_SLOTS, nextPowerOfTwo((keep + 1) * 2)));
    this.keys = new Uint32Array(slots * WORDS);
    this.expiries = new Float64Array(slots);
    this.mask = slots - 1;
    this.occupied = 0;
    const fingerprint = new Uint32Array(WORDS);
    for (let index = 0; index < oldExpiries.length && this.occupied < keep; index++) {
      const expiry = oldExpiries[index];
      if (expiry <= oldest) continue;
      fingerprint.set(oldKeys.subarray(index * WORDS, index * WORDS + WORDS));
      this.write(this.find(fingerprint, now).empty, fingerprint, expiry);
      this.occupied++;
    }
  }
}

/** 96 bits of SHA-256 of the key; the first word also places it in the table. */
function fingerprintOf(workspaceId: string, id: string): Uint32Array {
  const digest = createHash('sha256').update(workspaceId).update('\u0000').update(id).digest();
  return new Uint32Array([digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8)]);
}

function nextPowerOfTwo(value: number): number {
  let power = 1;
  while (power < value) power *= 2;
  return power;
}
