import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import createClient from 'openapi-fetch';
import { tempDir } from '@harmony/testing';
import { type Caller, SubscriptionApp } from '../test/subscription-app.fixture';
import type { paths } from './openapi.generated';

const GENERATED = path.join(__dirname, 'openapi.generated.ts');
const HEADER = '/* Generated from /openapi.json by openapi-typescript (openapi-client.int-spec.ts; UPDATE_OPENAPI_TYPES=1 rewrites it). Do not edit. */\n';

/** openapi-typescript's CLI (the package is ESM; Jest here runs CommonJS). */
function generateTypes(document: unknown): string {
  const dir = tempDir('openapi-');
  try {
    writeFileSync(path.join(dir.path, 'openapi.json'), JSON.stringify(document));
    const cli = path.join(path.dirname(require.resolve('openapi-typescript/package.json')), 'bin/cli.js');
    const run = spawnSync(process.execPath, [cli, path.join(dir.path, 'openapi.json'), '-o', path.join(dir.path, 'types.ts'), '--default-non-nullable=false'], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`openapi-typescript failed:\n${run.stderr}`);
    return readFileSync(path.join(dir.path, 'types.ts'), 'utf8');
  } finally {
    dir.remove();
  }
}

/**
 * A client typed from the API's own OpenAPI document (openapi-typescript →
 * openapi-fetch) runs the create → list → test → delete round trip; the types
 * it compiles against are the document as served now (the test fails when they
 * are stale).
 */
describe('a client generated from /openapi.json', () => {
  let app: SubscriptionApp;
  let admin: Caller;
  let receiver: Server;
  let receiverUrl: string;

  beforeAll(async () => {
    receiver = createServer((_request, response) => response.writeHead(204).end());
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    app = await SubscriptionApp.start();
    admin = await app.workspace();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  }, 30_000);

  it('creates, lists, tests and deletes a webhook', async () => {
    const client = createClient<paths>({ baseUrl: app.url, headers: { authorization: `Bearer ${admin.key}` } });

    const created = await client.POST('/v1/webhooks', { body: { name: 'Typed client', url: receiverUrl, events: ['contact.created'], description: null } });
    expect(created.response.status).toBe(201);
    const webhook = created.data!;
    expect(webhook.secret.secret).toMatch(/^whsec_/);

    const listed = await client.GET('/v1/webhooks');
    expect(listed.data!.data.map((item) => item.id)).toContain(webhook.id);

    const tested = await client.POST('/v1/webhooks/{id}/test', { params: { path: { id: webhook.id } }, body: { eventType: 'contact.created' } });
    expect(tested.data).toMatchObject({ outcome: 'success', status: 204 });

    const deleted = await client.DELETE('/v1/webhooks/{id}', { params: { path: { id: webhook.id } } });
    expect(deleted.response.status).toBe(204);
    const gone = await client.GET('/v1/webhooks/{id}', { params: { path: { id: webhook.id } } });
    expect(gone.response.status).toBe(404);
    expect(gone.error).toMatchObject({ error: 'not_found' });
  });

  it('has types generated from the document the service serves now', async () => {
    const generated = HEADER + generateTypes((await app.call('GET', '/openapi.json')).body);
    if (process.env['UPDATE_OPENAPI_TYPES'] === '1') writeFileSync(GENERATED, generated);
    expect(readFileSync(GENERATED, 'utf8')).toBe(generated);
  });
});
