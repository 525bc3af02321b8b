import { ENV_SCHEMA } from './config.schema';
import { type AppConfig, toAppConfig } from './app-config';

export interface ConfigIssue {
  variable: string;
  reason: string;
}

/** Every problem with the environment at once, so one restart fixes them all. */
export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(
      `Invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((issue) => `  - ${issue.variable}: ${issue.reason}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  // Unset and empty mean the same thing (compose files often pass `VAR=`).
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = ENV_SCHEMA.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        reason: describe(issue.message, present[String(issue.path[0])]),
      })),
    );
  }
  return toAppConfig(parsed.data, cwd);
}

function describe(message: string, value: string | undefined): string {
  const reason = message.replace(/^Invalid input: /, '');
  // Never echo values that could be secrets (URLs carry passwords).
  return value === undefined || /password|@/i.test(value) ? reason : `${reason} (got "${value.slice(0, 80)}")`;
}
