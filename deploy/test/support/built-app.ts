import * as path from 'node:path';
import { type SpawnedService, spawnUntilListening } from '@harmony/testing';

export const ROOT = path.resolve(__dirname, '../../..');

export type BuiltApp = SpawnedService;

// scripts/ belongs to no Nx project (module boundaries refuse a relative import of it): required by path.
/** The node flags and environment `npm start` runs the app with, which the image copies (decision 0104). */
export const { APP_NODE_ARGS, APP_ENV } = require(path.join(ROOT, 'scripts/start.js')) as {
  APP_NODE_ARGS: readonly string[];
  APP_ENV: Readonly<Record<string, string>>;
};

/**
 * Runs a compiled bundle as the image does (`node … main.js`, no TypeScript
 * hooks); packages resolve from `nodePath` (the repo's node_modules stands in
 * for the image's). Resolves once the app logs the URL it listens on.
 */
export function startBuiltApp(main: string, env: Record<string, string>, nodePath: string, timeoutMs = 60_000): Promise<BuiltApp> {
  return spawnUntilListening(main, ['--enable-source-maps', ...APP_NODE_ARGS, main], {
    cwd: path.dirname(main),
    env: { ...APP_ENV, PATH: process.env['PATH'] ?? '', NODE_PATH: nodePath, PORT: '0', LOG_LEVEL: 'info', ...env },
    timeoutMs,
  });
}
