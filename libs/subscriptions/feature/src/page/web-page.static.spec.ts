import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '@harmony/testing';
import { servePage } from './web-page.static';

interface Answer {
  status: number;
  headers: Record<string, string | number>;
  body: string;
  passed: boolean;
}

function request(root: string | null, method: string, url: string): Promise<Answer> {
  return new Promise((resolve) => {
    const answer: Answer = { status: 0, headers: {}, body: '', passed: false };
    servePage(root)(
      { method, url },
      {
        statusCode: 0,
        setHeader: (name, value) => (answer.headers[name] = value),
        end(body) {
          answer.status = this.statusCode;
          answer.body = body ? body.toString() : '';
          resolve(answer);
        },
      },
      () => resolve({ ...answer, passed: true }),
    );
  });
}

describe('servePage (the Webhook Subscriptions page at /)', () => {
  const dir = tempDir('web-page-');
  const root = path.join(dir.path, 'web');
  beforeAll(() => {
    mkdirSync(path.join(root, 'assets'), { recursive: true });
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(path.join(root, 'assets/index-abc123.js'), 'console.log(1)');
    writeFileSync(path.join(dir.path, 'secret.txt'), 'not for the web');
  });
  afterAll(() => dir.remove());

  it('serves index.html at / with a strict CSP, revalidated on every load', async () => {
    const answer = await request(root, 'GET', '/?from=bookmark');
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('<div id="root">');
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('no-cache');
    expect(answer.headers['content-security-policy']).toContain("script-src 'self'");
    expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('serves hashed assets for a year, HEAD without a body', async () => {
    const answer = await request(root, 'GET', '/assets/index-abc123.js');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(answer.headers['cache-control']).toContain('immutable');
    expect((await request(root, 'HEAD', '/assets/index-abc123.js')).body).toBe('');
  });

  it('leaves everything else to the API (and 404s): other paths, other methods, missing assets, escapes', async () => {
    for (const [method, url] of [
      ['GET', '/v1/webhooks'],
      ['POST', '/'],
      ['GET', '/assets/missing.js'],
      ['GET', '/assets/../secret.txt'],
      ['GET', '/assets/..%2fsecret.txt'],
      ['GET', '/assets/%E0%A4%A'],
    ] as const) {
      expect(await request(root, method, url)).toMatchObject({ passed: true });
    }
  });

  it('explains how to build the page when it is not built, and still serves the API', async () => {
    const answer = await request(null, 'GET', '/');
    expect(answer.status).toBe(503);
    expect(answer.body).toContain('The page is not built');
    expect(await request(null, 'GET', '/assets/index-abc123.js')).toMatchObject({ passed: true });
  });
});
