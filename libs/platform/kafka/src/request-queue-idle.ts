import { createRequire } from 'node:module';

interface SocketRequest {
  correlationId: number;
  /** Set once written to the socket. */
  sentAt: number | null;
  requestTimeout: number;
  timeoutRequest(): void;
}

interface RequestQueue {
  pending: unknown[];
  inflight: Map<number, SocketRequest>;
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  enforceRequestTimeout: boolean;
  /** kafkajs's field for its timeout check; here a one-shot timer at the earliest deadline. */
  requestTimeoutIntervalId: NodeJS.Timeout | null;
  /** When the armed timeout check fires (ours). */
  requestTimeoutCheckAt?: number;
  /** Between connect and disconnect (ours): kafkajs checks timeouts only then. */
  checkingRequestTimeouts?: boolean;
  isConnected(): boolean;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
  scheduleRequestTimeoutCheck(): void;
  sendSocketRequest(request: SocketRequest): void;
  destroy(): void;
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
  if ((queue.prototype as { patchedForIdle?: boolean }).patchedForIdle) return;
  (queue.prototype as { patchedForIdle?: boolean }).patchedForIdle = true;
  checkRequestTimeoutsWhenDue(queue.prototype);
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

/**
 * The same kafkajs also checks each connection's requests for timeouts on a
 * 100 ms interval from connect to disconnect, whether anything is in flight or
 * not: with ~30 connections in the all-in-one, ~300 wake-ups a second of an
 * idle process. Here one timer per connection fires at the earliest deadline
 * of its in-flight requests (re-armed after each check while any are in
 * flight, or sooner when a request with an earlier deadline is sent) and none
 * when nothing is in flight. A request still times out after its
 * `requestTimeout` — no later than before (kafkajs was up to 100 ms late).
 */
function checkRequestTimeoutsWhenDue(prototype: RequestQueue): void {
  const send = prototype.sendSocketRequest;
  const destroy = prototype.destroy;
  prototype.scheduleRequestTimeoutCheck = function scheduleRequestTimeoutCheck(this: RequestQueue): void {
    if (!this.enforceRequestTimeout) return;
    this.destroy();
    this.checkingRequestTimeouts = true;
    armTimeoutCheck(this);
  };
  prototype.sendSocketRequest = function sendSocketRequest(this: RequestQueue, request: SocketRequest): void {
    send.call(this, request);
    if (request.sentAt !== null && this.inflight.has(request.correlationId)) armTimeoutCheck(this, request.sentAt + request.requestTimeout);
  };
  prototype.destroy = function destroyQueue(this: RequestQueue): void {
    this.checkingRequestTimeouts = false;
    destroy.call(this);
    this.requestTimeoutIntervalId = null;
  };
}

/** Arms the check for `due` (a request just sent) or, without it, the earliest deadline in flight. */
function armTimeoutCheck(queue: RequestQueue, due?: number): void {
  if (!queue.checkingRequestTimeouts) return;
  let at = due ?? Infinity;
  if (due === undefined) {
    for (const request of queue.inflight.values()) if (request.sentAt !== null) at = Math.min(at, request.sentAt + request.requestTimeout);
  }
  if (at === Infinity) return;
  if (queue.requestTimeoutIntervalId && (queue.requestTimeoutCheckAt ?? Infinity) <= at) return;
  if (queue.requestTimeoutIntervalId) clearTimeout(queue.requestTimeoutIntervalId);
  queue.requestTimeoutCheckAt = at;
  // kafkajs times a request out once more than requestTimeout has passed: 1 ms past the deadline.
  queue.requestTimeoutIntervalId = setTimeout(() => {
    queue.requestTimeoutIntervalId = null;
    const now = Date.now();
    for (const request of queue.inflight.values()) {
      if (request.sentAt !== null && now - request.sentAt > request.requestTimeout) request.timeoutRequest();
    }
    if (!queue.isConnected()) {
      queue.destroy();
      return;
    }
    armTimeoutCheck(queue);
  }, Math.max(0, at - Date.now()) + 1);
}
