import * as path from 'node:path';
import { type SpawnedService, spawnUntilListening } from '@harmony/testing';

export const ROOT = path.resolve(__dirname, '../../..');

export type BuiltApp = SpawnedService;

/**
 * Runs a compiled bundle as the image does (`node … main.js`, no TypeScript
 * hooks); packages resolve from `nodePath` (the repo's node_modules stands in
 * for the image's). Resolves once the app logs the URL it listens on.
 */
export function startBuiltApp(main: string, env: Record<string, string>, nodePath: string, timeoutMs = 60_000): Promise<BuiltApp> {
  return spawnUntilListening(main, ['--enable-source-maps', '--heap-growing-percent=50', main], {
    cwd: path.dirname(main),
    env: { PATH: process.env['PATH'] ?? '', NODE_PATH: nodePath, PORT: '0', LOG_LEVEL: 'info', ...env },
    timeoutMs,
  });
}
