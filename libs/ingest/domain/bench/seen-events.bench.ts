/**
 * Memory and speed of the dedupe window (decision 0090), in one run:
 *   node --expose-gc scripts/run-ts.js libs/ingest/domain/bench/seen-events.bench.ts [ids=100000] [maxIds=2000000]
 * Reserves `ids` fresh (workspace, id) keys as ingest does (UUID-long ids over 100
 * workspaces, the strings made per event and dropped after, as in ingest) and prints
 * the memory each structure keeps: `SeenEvents` (the compact table) and, as the
 * baseline, the Map of id → expiry it replaced.
 */
import { SeenEvents } from '../src/seen-events';

const ids = Number(process.argv[2] ?? 100_000);
const maxIds = Number(process.argv[3] ?? 2_000_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('run with node --expose-gc');
  process.exit(2);
}

const WINDOW_MS = 24 * 3_600_000;
const workspaceOf = (i: number): string => `ws_01JN${String(i % 100).padStart(22, '0')}`;
const idOf = (i: number): string => `7f3a9c1e-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

function memory(): number {
  gc!();
  gc!();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

interface Window {
  reserve(workspaceId: string, id: string, now: number): boolean;
}

/** The structure before decision 0090: one Map entry (key string + expiry) per id in the window. */
class MapWindow implements Window {
  private readonly expiries = new Map<string, number>();
  reserve(workspaceId: string, id: string, now: number): boolean {
    const key = `${workspaceId}\u0000${id}`;
    const expiry = this.expiries.get(key);
    if (expiry !== undefined && expiry > now) return false;
    this.expiries.set(key, now + WINDOW_MS);
    return true;
  }
}

function measure(name: string, make: () => Window): void {
  const now = Date.now();
  const before = memory();
  let window: Window | null = make();
  const started = process.hrtime.bigint();
  for (let i = 0; i < ids; i++) window.reserve(workspaceOf(i), idOf(i), now + i);
  const elapsedNs = Number(process.hrtime.bigint() - started);
  const kept = memory() - before;
  for (let i = 0; i < ids; i += 101) if (window.reserve(workspaceOf(i), idOf(i), now + ids)) throw new Error(`${name} forgot a key`);
  if (window instanceof SeenEvents && window.evicted > 0) throw new Error(`${name} evicted keys: raise maxIds`);
  window = null;
  console.log(
    JSON.stringify({
      structure: name,
      ids,
      keptBytes: kept,
      bytesPerId: Math.round(kept / ids),
      mbPer100kIds: Number(((kept / ids) * 100_000 / 1e6).toFixed(2)),
      reservesPerSecond: Math.round(ids / (elapsedNs / 1e9)),
    }),
  );
}

measure('Map (before)', () => new MapWindow());
measure(`SeenEvents (maxIds ${maxIds})`, () => new SeenEvents(WINDOW_MS, maxIds));
