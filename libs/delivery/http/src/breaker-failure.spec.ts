import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { countsAgainstEndpoint } from './breaker-failure';
import { HARMONY_WEBHOOKS_VERSION } from './webhook-sender';

describe('countsAgainstEndpoint', () => {
  it.each([
    [{ outcome: 'success', statusClass: '2xx', status: 200 }, false],
    [{ outcome: 'failure', statusClass: '5xx', status: 502 }, true],
    [{ outcome: 'failure', statusClass: '4xx', status: 429 }, true],
    [{ outcome: 'failure', statusClass: 'timeout', status: null }, true],
    [{ outcome: 'failure', statusClass: 'network', status: null }, true],
    [{ outcome: 'failure', statusClass: '4xx', status: 404 }, false],
    [{ outcome: 'failure', statusClass: '3xx', status: 302 }, false],
    [{ outcome: 'failure', statusClass: 'refused', status: null }, false],
  ] as const)('%j → %s', (result, expected) => {
    expect(countsAgainstEndpoint(result)).toBe(expected);
  });
});

describe('user-agent version', () => {
  it('matches the root package.json', () => {
    const packageJson = JSON.parse(readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8')) as { version: string };
    expect(HARMONY_WEBHOOKS_VERSION).toBe(packageJson.version);
  });
});
