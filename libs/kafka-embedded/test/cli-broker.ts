import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../../..');

export interface CliBroker {
  child: ChildProcess;
  address: string;
  port: number;
  exited: Promise<number | null>;
}

/** Runs the CLI (`npm run broker`) as a child process and waits for its "listening" line. */
export function startCliBroker(dataDir: string, extraArgs: string[] = []): Promise<CliBroker> {
  const child = spawn(
    process.execPath,
    ['scripts/run-ts.js', 'libs/kafka-embedded/src/cli.ts', '--port', '0', '--data-dir', dataDir, '--initial-rebalance-delay-ms', '0', '--min-session-timeout-ms', '500', '--log-level', 'warn', ...extraArgs],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{"listening"'));
      if (line) {
        const { listening, port } = JSON.parse(line) as { listening: string; port: number };
        resolve({ child, address: listening, port, exited });
      }
    });
    exited.then((code) => reject(new Error(`broker exited (${code}) before listening: ${stderr}`)));
  });
}
