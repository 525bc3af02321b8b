import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateSigningSecret } from '@harmony/webhooks/domain';
import { type HostResolver, WebhookSender } from '@harmony/delivery/http';
import { type Caller, SubscriptionApp } from '../test/subscription-app.fixture';

/**
 * The SSRF corpus (issue #13): hostile webhook URLs, each refused with its reason
 * at create, at the Test button and at send time, with the defaults (NODE_ENV
 * unset: no private range allowed, http only toward allowed ranges). Names that
 * resolve to hostile addresses go through a DNS table that both the API's URL
 * check and the sender use. Loopback spellings point at a live receiver on this
 * machine, which must never see a connection. Prints a ledger line.
 */

/** DNS answers of the corpus' own names: what a hostile zone could publish. */
const HOSTILE_DNS: Record<string, string[]> = {
  'rebind.corpus.test': ['127.0.0.1'],
  'rebind6.corpus.test': ['::1'],
  'meta.corpus.test': ['169.254.169.254'],
  'ecs.corpus.test': ['169.254.170.2'],
  'private.corpus.test': ['10.1.2.3'],
  'cgnat.corpus.test': ['100.64.1.1'],
  'mixed.corpus.test': ['93.184.215.14', '192.168.0.10'],
  'mapped.corpus.test': ['::ffff:127.0.0.1'],
  'nat64.corpus.test': ['64:ff9b::a9fe:a9fe'],
  'sixtofour.corpus.test': ['2002:a00:1::'],
  'multicast.corpus.test': ['239.1.2.3'],
  'public.corpus.test': ['93.184.215.14'],
};

const corpusDns: HostResolver = async (hostname) => {
  const addresses = HOSTILE_DNS[hostname.replace(/\.$/, '')];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? (6 as const) : (4 as const) }));
};

/** [url, why it is refused]; `P` is the port of a live receiver on loopback. */
function corpus(P: number): [string, RegExp][] {
  const loopback = /loopback/;
  const metadata = /cloud metadata endpoint/;
  return [
    // Loopback, every spelling
    [`https://127.0.0.1:${P}/`, loopback],
    [`https://127.1:${P}/`, loopback],
    [`https://0177.0.0.1:${P}/`, loopback],
    [`https://0x7f.0.0.1:${P}/`, loopback],
    [`https://0x7f000001:${P}/`, loopback],
    [`https://2130706433:${P}/`, loopback],
    [`https://017700000001:${P}/`, loopback],
    [`https://127.000.000.001:${P}/`, loopback],
    [`https://127.255.255.254:${P}/`, loopback],
    [`https://[::1]:${P}/`, loopback],
    [`https://[0:0:0:0:0:0:0:1]:${P}/`, loopback],
    [`https://[::ffff:127.0.0.1]:${P}/`, loopback],
    [`https://[::ffff:7f00:1]:${P}/`, loopback],
    [`https://[64:ff9b::127.0.0.1]:${P}/`, loopback],
    [`https://[2002:7f00:1::]:${P}/`, loopback],
    [`https://[::127.0.0.1]:${P}/`, loopback],
    [`https://[::ffff:0:7f00:1]:${P}/`, loopback],
    [`https://0.0.0.0:${P}/`, /unspecified/],
    [`https://0:${P}/`, /unspecified/],
    [`https://[::]:${P}/`, /unspecified/],
    // Loopback by name: conventions DNS here may not answer
    [`https://localhost:${P}/`, loopback],
    [`https://LOCALHOST.:${P}/`, loopback],
    [`https://localhost%2e:${P}/`, loopback],
    [`https://ｌｏｃａｌｈｏｓｔ:${P}/`, loopback],
    [`https://api.localhost:${P}/`, loopback],
    [`https://127.0.0.1.nip.io:${P}/`, loopback],
    [`https://7f000001.nip.io:${P}/`, loopback],
    [`https://app-127-0-0-1.sslip.io:${P}/`, loopback],
    [`https://localtest.me:${P}/`, loopback],
    [`https://rebind.corpus.test:${P}/`, loopback],
    [`https://rebind6.corpus.test:${P}/`, loopback],
    [`https://mapped.corpus.test:${P}/`, loopback],
    // Metadata addresses and names
    ['https://169.254.169.254/latest/meta-data/', metadata],
    ['https://[::ffff:169.254.169.254]/', metadata],
    ['https://[::ffff:a9fe:a9fe]/', metadata],
    ['https://[64:ff9b::a9fe:a9fe]/', metadata],
    ['https://[fd00:ec2::254]/', metadata],
    ['https://169.254.170.2/v2/credentials', metadata],
    ['https://100.100.100.200/latest/meta-data', metadata],
    ['https://168.63.129.16/', metadata],
    ['https://0xa9fea9fe/', metadata],
    ['https://2852039166/', metadata],
    ['https://metadata.google.internal/computeMetadata/v1/', metadata],
    ['https://METADATA.GOOGLE.INTERNAL./computeMetadata/v1/', metadata],
    ['https://metadata/', metadata],
    ['https://instance-data.ec2.internal/', metadata],
    ['https://169.254.169.254.nip.io/', metadata],
    ['https://a9fea9fe.nip.io/', metadata],
    ['https://meta.corpus.test/', metadata],
    ['https://ecs.corpus.test/', metadata],
    ['https://nat64.corpus.test/', metadata],
    // Private, CGNAT, link-local, multicast, reserved ranges
    ['https://10.0.0.1/', /private/],
    ['https://172.16.0.1/', /private/],
    ['https://192.168.1.1/', /private/],
    ['https://[::ffff:10.0.0.1]/', /private/],
    ['https://[2002:a00:1::]/', /private/],
    ['https://private.corpus.test/', /private/],
    ['https://mixed.corpus.test/', /private/],
    ['https://sixtofour.corpus.test/', /private/],
    ['https://10.0.0.1.xip.io/', /private/],
    ['https://100.64.0.1/', /carrier-grade NAT/],
    ['https://cgnat.corpus.test/', /carrier-grade NAT/],
    ['https://169.254.1.1/', /link-local/],
    ['https://[fe80::1]/', /link-local/],
    ['https://[fc00::1]/', /unique-local/],
    ['https://224.0.0.1/', /multicast/],
    ['https://239.255.255.250/', /multicast/],
    ['https://[ff02::1]/', /multicast/],
    ['https://multicast.corpus.test/', /multicast/],
    ['https://255.255.255.255/', /broadcast/],
    ['https://198.18.0.1/', /benchmarking/],
    ['https://192.0.2.1/', /documentation/],
    ['https://[2001:db8::1]/', /documentation/],
    ['https://240.0.0.1/', /reserved/],
    // Credentials, schemes, ports, fragments
    ['https://user:pass@hooks.example.com/', /credentials/],
    ['https://user@hooks.example.com/', /credentials/],
    [`https://hooks.example.com@127.0.0.1:${P}/`, /credentials/],
    ['http://93.184.216.34/hook', /must use https/],
    ['http://hooks.example.com/hook', /must use https/],
    ['http://public.corpus.test/hook', /must use https/],
    [`http://127.0.0.1:${P}/`, /must use https/],
    ['ftp://hooks.example.com/', /must use https/],
    ['file:///etc/passwd', /must use https/],
    ['gopher://127.0.0.1:6379/_INFO', /must use https/],
    ['javascript:alert(1)', /must use https/],
    ['data:text/plain,hello', /must use https/],
    ['ws://hooks.example.com/', /must use https/],
    ['https://hooks.example.com:25/', /port 25 is not allowed/],
    ['https://hooks.example.com:6667/', /port 6667 is not allowed/],
    ['https://hooks.example.com/#fragment', /fragment/],
    ['https://nip.io/', /address written in the name/],
  ];
}

describe('SSRF corpus: hostile URLs refused at create, Test and send', () => {
  let app: SubscriptionApp;
  let admin: Caller;
  let sink: Server;
  let port: number;
  let connections = 0;
  let sender: WebhookSender;

  beforeAll(async () => {
    sink = createServer((_request, response) => response.writeHead(200).end('reached'));
    sink.on('connection', () => connections++);
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    port = (sink.address() as AddressInfo).port;
    // The defaults (NODE_ENV unset): no private range, http allowed only toward one.
    app = await SubscriptionApp.start({ WEBHOOK_ALLOW_PRIVATE_CIDRS: '' }, { resolve: corpusDns });
    admin = await app.workspace();
    sender = new WebhookSender({ allowHttp: true, allowPrivateCidrs: [], timeoutMs: 2_000, resolve: corpusDns });
  }, 60_000);

  afterAll(async () => {
    await sender?.close();
    await app?.close();
    await new Promise((resolve) => sink?.close(resolve));
  }, 30_000);

  it('refuses every URL of the corpus with its reason, and nothing reaches the receiver', async () => {
    const started = Date.now();
    const urls = corpus(port);
    const refused = { create: 0, test: 0, send: 0 };
    const misses: string[] = [];
    for (const [url, reason] of urls) {
      const created = await app.call('POST', '/v1/webhooks', { key: admin.key, body: { name: `corpus ${url}`.slice(0, 120), url, events: ['contact.created'] } });
      if (created.status === 400 && created.body.errors?.some((error: { field: string; reason: string }) => error.field === 'url' && reason.test(error.reason))) refused.create++;
      else misses.push(`create ${url}: ${created.status} ${JSON.stringify(created.body)}`);

      const tested = await app.call('POST', '/v1/webhooks/test', { key: admin.key, body: { url, eventType: 'contact.created' } });
      if (tested.status === 400 && tested.body.errors?.some((error: { field: string; reason: string }) => error.field === 'url' && reason.test(error.reason))) refused.test++;
      else misses.push(`test ${url}: ${tested.status} ${JSON.stringify(tested.body)}`);

      const sent = await sender.send({ url, eventId: 'evt_corpus', body: '{}', secrets: [generateSigningSecret()] });
      if (sent.outcome === 'failure' && sent.statusClass === 'refused' && reason.test(sent.error?.message ?? '')) refused.send++;
      else misses.push(`send ${url}: ${sent.statusClass} ${JSON.stringify(sent.error)}`);
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(`SSRF corpus ledger: urls=${urls.length} refused_at_create=${refused.create} refused_at_test=${refused.test} refused_at_send=${refused.send} receiver_connections=${connections} seconds=${seconds}\n`);
    expect(misses).toEqual([]);
    expect(urls.length).toBeGreaterThanOrEqual(60);
    expect(connections).toBe(0);
    expect((await app.call('GET', '/v1/webhooks', { key: admin.key })).body.data).toEqual([]);
  }, 60_000);

  it('never follows a redirect, even from a receiver it may reach', async () => {
    let redirectTargetHits = 0;
    const target = createServer((_request, response) => {
      redirectTargetHits++;
      response.writeHead(200).end();
    });
    const redirector = createServer((_request, response) => {
      response.writeHead(307, { location: `http://127.0.0.1:${(target.address() as AddressInfo).port}/` }).end();
    });
    await Promise.all([target, redirector].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
    const local = new WebhookSender({ allowHttp: true, allowPrivateCidrs: ['127.0.0.0/8'], timeoutMs: 2_000 });
    try {
      for (const location of ['http://169.254.169.254/latest/meta-data/', `http://127.0.0.1:${(target.address() as AddressInfo).port}/`]) {
        redirector.removeAllListeners('request');
        redirector.on('request', (_request, response) => response.writeHead(302, { location }).end());
        const result = await local.send({
          url: `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/hook`,
          eventId: 'evt_redirect',
          body: '{}',
          secrets: [generateSigningSecret()],
        });
        expect(result).toMatchObject({ outcome: 'failure', status: 302, statusClass: '3xx' });
      }
      expect(redirectTargetHits).toBe(0);
    } finally {
      await local.close();
      await Promise.all([target, redirector].map((server) => new Promise((resolve) => server.close(resolve))));
    }
  });
});
