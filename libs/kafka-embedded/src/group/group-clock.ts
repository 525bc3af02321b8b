/**
 * The coordinator's only source of time. Injected so unit tests can drive
 * session, rebalance and initial-delay timers deterministically.
 */
export interface GroupClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's timers cap delays at 2^31-1 ms; longer ones would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

export const SYSTEM_CLOCK: GroupClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, Math.min(Math.max(ms, 0), MAX_TIMER_MS)),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
