import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');

export interface BuiltApp {
  url: string;
  process: ChildProcess;
  output: string[];
  stop(): Promise<number | null>;
}

/**
 * Runs a compiled bundle as production does (`node main.js`, no TypeScript
 * hooks); packages resolve from `nodePath` (the repo's node_modules stands in
 * for the image's). Resolves once the app logs the URL it listens on.
 */
export function startBuiltApp(main: string, env: Record<string, string>, nodePath: string, timeoutMs = 60_000): Promise<BuiltApp> {
  const child = spawn(process.execPath, ['--enable-source-maps', main], {
    cwd: path.dirname(main),
    env: { PATH: process.env['PATH'] ?? '', NODE_PATH: nodePath, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${main} did not start within ${timeoutMs} ms:\n${output.join('\n')}`));
    }, timeoutMs);
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        output.push(line);
        const match = /listening on (http:\/\/\S+?)"/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve({
            url: match[1],
            process: child,
            output,
            stop: () => {
              child.kill('SIGTERM');
              return exited;
            },
          });
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${main} exited with ${code} before listening:\n${output.join('\n')}`));
    });
  });
}
