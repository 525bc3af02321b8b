import { execFileSync } from 'node:child_process';

export interface DockerEngine {
  available: boolean;
  /** Why not, when it is not. */
  reason: string;
}

/**
 * Whether testcontainers finds a working container runtime (Docker socket,
 * DOCKER_HOST, Testcontainers Cloud...). Asked in a child process so the
 * answer is known synchronously, before Jest collects the tests.
 */
export function dockerEngine(): DockerEngine {
  const probe = `require('testcontainers').getContainerRuntimeClient().then(() => process.exit(0), (error) => { console.error(error.message); process.exit(1); })`;
  try {
    execFileSync(process.execPath, ['-e', probe], { cwd: __dirname, stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
    return { available: true, reason: '' };
  } catch (error) {
    return { available: false, reason: String((error as { stderr?: Buffer }).stderr ?? error).trim() || 'no container runtime' };
  }
}
