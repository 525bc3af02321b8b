import { checkWebhookUrl, type HostResolver } from '../src';

const production = { allowHttp: false, allowPrivateCidrs: [] as string[] };
const development = { allowHttp: true, allowPrivateCidrs: ['127.0.0.0/8', '::1/128'] };
const dnsOf =
  (table: Record<string, string[]>): HostResolver =>
  async (hostname) => {
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? (6 as const) : (4 as const) }));
  };

describe('checkWebhookUrl', () => {
  const resolve = dnsOf({
    'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    'internal.example.com': ['10.0.4.2'],
    'split.example.com': ['93.184.215.14', '192.168.1.10'],
    'metadata.example.com': ['169.254.169.254'],
  });

  it('accepts a public https URL whose every address is public', async () => {
    expect(await checkWebhookUrl('https://hooks.example.com/harmony', { ...production, resolve })).toEqual({ ok: true, resolved: true });
  });

  it('refuses by URL rules with a reason for the form', async () => {
    expect(await checkWebhookUrl('http://hooks.example.com/', { ...production, resolve })).toEqual({
      ok: false,
      code: 'scheme_not_allowed',
      reason: 'URL must use https',
    });
    expect(await checkWebhookUrl('https://u:p@hooks.example.com/', { ...production, resolve })).toMatchObject({ ok: false, code: 'credentials_not_allowed' });
    expect(await checkWebhookUrl('https://[::ffff:10.0.0.1]/', { ...production, resolve })).toMatchObject({ ok: false, code: 'address_refused' });
  });

  it('refuses a name resolving to a private, metadata or mixed set of addresses', async () => {
    expect(await checkWebhookUrl('https://internal.example.com/', { ...production, resolve })).toEqual({
      ok: false,
      code: 'address_refused',
      reason: 'internal.example.com resolved to a refused address: address 10.0.4.2 is private',
    });
    expect(await checkWebhookUrl('https://split.example.com/', { ...production, resolve })).toMatchObject({ ok: false, code: 'address_refused' });
    expect(await checkWebhookUrl('https://metadata.example.com/', { ...production, resolve })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('cloud metadata endpoint'),
    });
  });

  it('uses the real resolver: localhost is refused in production and allowed when configured', async () => {
    expect(await checkWebhookUrl('https://localhost/hook', production)).toMatchObject({ ok: false, code: 'hostname_refused' });
    expect(await checkWebhookUrl('https://localhost.localdomain/hook', { ...production, allowPrivateCidrs: ['10.0.0.0/8'] })).toMatchObject({ ok: false, code: 'hostname_refused' });
    expect(await checkWebhookUrl('http://localhost:3000/hook', development)).toEqual({ ok: true, resolved: true });
    expect(await checkWebhookUrl('http://127.0.0.1:3000/hook', development)).toEqual({ ok: true, resolved: true });
  });

  it('lets plain http reach only the ranges allowed for local development, never a public host', async () => {
    const dns = dnsOf({ 'hooks.example.com': ['93.184.215.14'], 'receiver.dev.test': ['127.0.0.1'] });
    expect(await checkWebhookUrl('http://93.184.216.34/hook', { ...development, resolve: dns })).toMatchObject({ ok: false, code: 'scheme_not_allowed' });
    expect(await checkWebhookUrl('http://hooks.example.com/hook', { ...development, resolve: dns })).toEqual({
      ok: false,
      code: 'scheme_not_allowed',
      reason: 'URL must use https (plain http only to 127.0.0.0/8, ::1/128, allowed for local development)',
    });
    expect(await checkWebhookUrl('https://hooks.example.com/hook', { ...development, resolve: dns })).toEqual({ ok: true, resolved: true });
    expect(await checkWebhookUrl('http://receiver.dev.test:4000/hook', { ...development, resolve: dns })).toEqual({ ok: true, resolved: true });
    // The defaults (http allowed, no range): nothing over http.
    expect(await checkWebhookUrl('http://receiver.dev.test:4000/hook', { allowHttp: true, allowPrivateCidrs: [], resolve: dns })).toEqual({
      ok: false,
      code: 'scheme_not_allowed',
      reason: 'URL must use https',
    });
  });

  it('gives a name that does not resolve (yet) the benefit of the doubt: every send checks again', async () => {
    expect(await checkWebhookUrl('https://not-yet.example.com/', { ...production, resolve })).toEqual({ ok: true, resolved: false });
    const slow: HostResolver = () => new Promise(() => undefined);
    expect(await checkWebhookUrl('https://slow.example.com/', { ...production, resolve: slow, resolveTimeoutMs: 50 })).toEqual({ ok: true, resolved: false });
  });
});
