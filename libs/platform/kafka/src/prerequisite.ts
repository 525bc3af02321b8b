/**
 * State a service's consumers need before they start, read to the end first
 * (a TopicFollower, or a view built on one): nothing is handled against a
 * half-read view. One may be shared by several services of a process: each
 * `start()` resolves once it has caught up, and it stops with its last user.
 */
export interface Prerequisite {
  /** What it reads, for /ready while it catches up. */
  readonly reads: string;
  /** Caught up. */
  readonly ready: boolean;
  /** False while its consumer is being restarted. */
  readonly consuming: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}
