import { createRequire } from 'node:module';

interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs's wait before looking at its queue again when requests are pending. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

/**
 * kafkajs 2.2.4 (its last release) re-arms a timer on every connection after
 * each check of its request queue — with a negative delay (1 ms) when nothing
 * is pending and nothing throttled — so every open connection wakes the event
 * loop a thousand times a second for ever: most of an idle process's CPU
 * (tulios/kafkajs#1556, #1704; the fix proposed in #1667 is not released).
 * Here a check is scheduled only when it has something to do: requests
 * pending (as before), or a broker throttle still running. A request that
 * completes or is pushed checks the queue by itself, so nothing waits longer.
 */
export function stopIdleRequestQueueTimers(): void {
  const queue = createRequire(__filename)('kafkajs/src/network/requestQueue') as { prototype: RequestQueue };
  queue.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueue): void {
    if (this.throttleCheckTimeoutId) return;
    let scheduleAt = this.throttledUntil - Date.now();
    if (this.pending.length > 0) scheduleAt = scheduleAt > 0 ? scheduleAt : CHECK_PENDING_REQUESTS_INTERVAL_MS;
    else if (scheduleAt <= 0) return;
    this.throttleCheckTimeoutId = setTimeout(() => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    }, scheduleAt);
  };
}
