import type { ChildProcess } from 'node:child_process';

export interface RunningAllInOne {
  url: string;
  /** The first-run admin API key, when this start created the workspace. */
  apiKey: string | null;
  workspaceId: string | null;
  /** The embedded broker's address (null with KAFKA_BROKERS). */
  brokers: string[] | null;
  /** WEBHOOK_ALLOW_PRIVATE_CIDRS as the app got it (loopback unless the caller set it; '' = none). */
  allowPrivateCidrs: string;
  child: ChildProcess;
}

export function startAllInOne(options?: { env?: NodeJS.ProcessEnv; onLine?: (line: string) => void; nodeArgs?: string[] }): Promise<RunningAllInOne>;
export function banner(running: { url: string; apiKey: string | null; allowPrivateCidrs?: string }): string;
export function forwardSignals(child: ChildProcess): void;
/** node flags the app runs with (decision 0104); the bench's --services gives them to each service too. */
export const APP_NODE_ARGS: readonly string[];
/** Environment the app runs with unless the caller sets it (decision 0104): glibc malloc's arenas and mmap threshold. */
export const APP_ENV: Readonly<Record<string, string>>;
