import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { APP_ENV, APP_NODE_ARGS, ROOT } from './support/built-app';

/**
 * No Docker engine here: the image build itself runs where Docker exists
 * (README "Production"). What can be checked without one is checked here.
 */
describe('deploy/docker/Dockerfile', () => {
  const dockerfile = readFileSync(path.join(ROOT, 'deploy/docker/Dockerfile'), 'utf8');
  const instructions = dockerfile
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: string[][] = [];
  for (const line of instructions) {
    if (line.startsWith('FROM ')) stages.push([]);
    stages.at(-1)?.push(line);
  }
  const runtime = stages.at(-1) ?? [];

  it('is multi-stage, with the app chosen by a build arg', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(instructions).toContain('ARG APP');
    expect(instructions.some((line) => /node scripts\/build\.js "?\$\{?APP/.test(line))).toBe(true);
  });

  it('installs with npm ci from the lockfile, runtime dependencies only in the runtime image', () => {
    expect(instructions).toContain('COPY package.json package-lock.json ./');
    const installs = instructions.filter((line) => line.startsWith('RUN npm'));
    expect(installs.every((line) => /^RUN npm ci\b/.test(line))).toBe(true);
    expect(installs.some((line) => line.includes('--omit=dev'))).toBe(true);
  });

  it('runs the build output as a non-root user', () => {
    const user = runtime.filter((line) => line.startsWith('USER ')).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/USER (root|0)(:|$)/);
    expect(runtime.some((line) => line.includes('/dist/apps/${APP}'))).toBe(true);
    expect(runtime.find((line) => line.startsWith('CMD '))).toContain('main.js');
  });

  it('runs the app with the node flags and malloc settings npm start uses (scripts/start.js, decision 0104)', () => {
    const cmd = runtime.find((line) => line.startsWith('CMD ')) ?? '';
    for (const flag of APP_NODE_ARGS) expect(cmd).toContain(JSON.stringify(flag));
    const env = runtime.filter((line) => line.startsWith('ENV ')).join(' ');
    for (const [name, value] of Object.entries(APP_ENV)) expect(env).toMatch(new RegExp(`\\b${name}=${value}\\b`));
  });

  it('copies only paths that exist in the repository', () => {
    for (const line of instructions.filter((candidate) => candidate.startsWith('COPY ') && !candidate.includes('--from='))) {
      const sources = line.split(/\s+/).slice(1, -1).filter((part) => !part.startsWith('--'));
      for (const source of sources) expect(existsSync(path.join(ROOT, source))).toBe(true);
    }
  });
});
