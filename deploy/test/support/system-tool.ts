import { execFileSync } from 'node:child_process';

/** Debian package that ships each tool (.ci/run installs them). */
const PACKAGES: Record<string, string> = { 'docker-compose': 'docker-compose', promtool: 'prometheus' };

/**
 * The path of a command-line tool, or `null` when it is missing outside CI
 * (the caller skips, and this prints why). Under CI=true a missing tool is an
 * error: CI must run these checks, never skip them.
 */
export function systemTool(name: string): string | null {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
  } catch {
    const install = `apt-get install ${PACKAGES[name] ?? name}`;
    if (process.env['CI'] === 'true') throw new Error(`${name} is required under CI=true (${install}; .ci/run installs it)`);
    console.warn(`SKIPPED: ${name} is not installed (${install}); its checks did not run`);
    return null;
  }
}

export interface ToolRun {
  code: number;
  output: string;
}

/** Runs a tool and returns its exit code and combined output (never throws on a non-zero exit). */
export function runTool(tool: string, args: string[], cwd: string): ToolRun {
  try {
    const output = execFileSync(tool, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    return { code: 0, output };
  } catch (error) {
    const failed = error as { status?: number; stdout?: string; stderr?: string };
    return { code: failed.status ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}
