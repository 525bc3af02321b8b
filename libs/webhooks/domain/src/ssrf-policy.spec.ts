import { AddressPolicy, describeAddressRefusal, SsrfPolicy, type AddressVerdict } from './ssrf-policy';

const strict = new AddressPolicy([]);

function reasonOf(verdict: AddressVerdict): string {
  return verdict.allowed ? 'allowed' : verdict.reason;
}

describe('AddressPolicy', () => {
  it.each([
    ['93.184.215.14', 'allowed'],
    ['8.8.8.8', 'allowed'],
    ['2606:4700:4700::1111', 'allowed'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['169.254.1.1', 'link-local'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['100.64.0.1', 'carrier-grade-nat'],
    ['100.127.255.254', 'carrier-grade-nat'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.255', 'benchmarking'],
    ['192.0.2.10', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.99', 'documentation'],
    ['169.254.169.254', 'metadata'],
    ['169.254.170.2', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['168.63.129.16', 'metadata'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['3fff::1', 'documentation'],
    ['2001:2::1', 'benchmarking'],
    ['2001:0::1', 'reserved'], // Teredo
    ['100::1', 'reserved'], // discard prefix
    ['4000::1', 'reserved'], // outside 2000::/3
    ['fd00:ec2::254', 'metadata'],
    ['64:ff9b:1::a00:1', 'reserved'],
  ])('%s → %s', (address, expected) => {
    expect(reasonOf(strict.check(address))).toBe(expected);
  });

  describe('IPv6 forms that embed an IPv4 address', () => {
    it.each([
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:7f00:1', 'loopback'],
      ['0:0:0:0:0:ffff:7f00:0001', 'loopback'],
      ['::ffff:10.0.0.1', 'private'],
      ['::ffff:192.168.0.1', 'private'],
      ['::ffff:169.254.169.254', 'metadata'],
      ['::ffff:100.64.0.1', 'carrier-grade-nat'],
      ['::127.0.0.1', 'loopback'], // IPv4-compatible
      ['::10.0.0.1', 'private'],
      ['::a9fe:a9fe', 'metadata'],
      ['::ffff:0:10.0.0.1', 'private'], // IPv4-translated
      ['64:ff9b::10.0.0.1', 'private'], // NAT64 well-known prefix
      ['64:ff9b::7f00:1', 'loopback'],
      ['64:ff9b::169.254.169.254', 'metadata'],
      ['2002:7f00:1::', 'loopback'], // 6to4 of 127.0.0.1
      ['2002:c0a8:101::1', 'private'], // 6to4 of 192.168.1.1
    ])('%s → %s', (address, expected) => {
      expect(reasonOf(strict.check(address))).toBe(expected);
    });

    it('allows a public address behind the NAT64 prefix and a mapped public address, but not deprecated forms of it', () => {
      expect(reasonOf(strict.check('64:ff9b::8.8.8.8'))).toBe('allowed');
      expect(reasonOf(strict.check('::ffff:8.8.8.8'))).toBe('allowed');
      expect(reasonOf(strict.check('::8.8.8.8'))).toBe('reserved');
      expect(reasonOf(strict.check('2002:808:808::1'))).toBe('reserved');
    });
  });

  it('refuses what is not an address', () => {
    expect(reasonOf(strict.check('example.com'))).toBe('invalid');
    expect(reasonOf(strict.check(''))).toBe('invalid');
  });

  describe('allow-list', () => {
    const dev = new AddressPolicy(['127.0.0.0/8', '::1/128', '10.20.0.0/16', '169.254.0.0/16']);

    it('exempts addresses inside an allowed range and says which entry did', () => {
      expect(dev.check('127.0.0.1')).toEqual({ allowed: true, address: '127.0.0.1', exemptedBy: '127.0.0.0/8' });
      expect(dev.check('::1')).toMatchObject({ allowed: true, exemptedBy: '::1/128' });
      expect(dev.check('10.20.3.4')).toMatchObject({ allowed: true, exemptedBy: '10.20.0.0/16' });
      expect(dev.check('169.254.10.10')).toMatchObject({ allowed: true });
    });

    it('exempts the IPv4-mapped form of an allowed IPv4 address (the socket reaches the same host)', () => {
      expect(dev.check('::ffff:127.0.0.1')).toMatchObject({ allowed: true, exemptedBy: '127.0.0.0/8' });
    });

    it('does not exempt neighbours of an allowed range', () => {
      expect(reasonOf(dev.check('10.21.0.1'))).toBe('private');
      expect(reasonOf(dev.check('192.168.0.1'))).toBe('private');
      expect(reasonOf(dev.check('fd00::1'))).toBe('unique-local');
    });

    it('does not open a metadata endpoint through a broader range, only through an entry naming it', () => {
      expect(reasonOf(dev.check('169.254.169.254'))).toBe('metadata');
      expect(reasonOf(dev.check('::ffff:169.254.169.254'))).toBe('metadata');
      const named = new AddressPolicy(['169.254.169.254/32']);
      expect(named.check('169.254.169.254')).toMatchObject({ allowed: true, exemptedBy: '169.254.169.254/32' });
      expect(reasonOf(new AddressPolicy(['64:ff9b::/96']).check('64:ff9b::a9fe:a9fe'))).toBe('metadata');
    });

    it('accepts plain addresses as single-host entries and fails fast on garbage', () => {
      expect(new AddressPolicy(['10.0.0.5']).check('10.0.0.5')).toMatchObject({ allowed: true });
      expect(reasonOf(new AddressPolicy(['10.0.0.5']).check('10.0.0.6'))).toBe('private');
      expect(() => new AddressPolicy(['10.0.0.0/33'])).toThrow('webhooks.allowPrivateCidrs');
      expect(() => new AddressPolicy(['localhost'])).toThrow('"localhost" is not an IP address or CIDR');
    });
  });

  it('checkAll refuses a record set if any address is refused', () => {
    expect(strict.checkAll(['8.8.8.8', '1.1.1.1'])).toEqual({ allowed: true });
    const mixed = strict.checkAll(['8.8.8.8', '10.0.0.1']);
    expect(mixed).toMatchObject({ allowed: false, refused: { address: '10.0.0.1', reason: 'private' } });
    expect(strict.checkAll([])).toMatchObject({ allowed: false });
  });

  it('describes refusals for people', () => {
    const verdict = strict.check('169.254.169.254');
    if (verdict.allowed) throw new Error('expected a refusal');
    expect(describeAddressRefusal(verdict)).toBe('address 169.254.169.254 is a cloud metadata endpoint (169.254.169.254/32)');
    const privateVerdict = strict.check('10.0.0.1');
    if (privateVerdict.allowed) throw new Error('expected a refusal');
    expect(describeAddressRefusal(privateVerdict)).toBe('address 10.0.0.1 is private');
  });
});

describe('SsrfPolicy.checkUrl', () => {
  const production = new SsrfPolicy({ allowHttp: false, allowPrivateCidrs: [] });
  const development = new SsrfPolicy({ allowHttp: true, allowPrivateCidrs: ['127.0.0.0/8'] });

  it('accepts an https URL with a host name and reports its target', () => {
    const verdict = production.checkUrl('https://hooks.example.com/harmony/8f3a?x=1');
    expect(verdict).toMatchObject({ ok: true, target: { hostname: 'hooks.example.com', port: 443, literalAddress: null } });
    expect(production.checkUrl('https://hooks.example.com:8443/x')).toMatchObject({ ok: true, target: { port: 8443 } });
  });

  it.each([
    ['not a url', 'invalid_url'],
    ['/relative/path', 'invalid_url'],
    [`https://example.com/${'a'.repeat(2048)}`, 'invalid_url'],
    ['http://hooks.example.com/', 'scheme_not_allowed'],
    ['ftp://hooks.example.com/', 'scheme_not_allowed'],
    ['file:///etc/passwd', 'scheme_not_allowed'],
    ['https://user:pass@hooks.example.com/', 'credentials_not_allowed'],
    ['https://user@hooks.example.com/', 'credentials_not_allowed'],
    ['https://hooks.example.com/#frag', 'fragment_not_allowed'],
    ['https://hooks.example.com/#', 'fragment_not_allowed'],
    ['https://hooks.example.com:25/', 'port_not_allowed'],
    ['https://hooks.example.com:6379/', 'allowed'],
    ['https://hooks.example.com:0/', 'port_not_allowed'],
    [`https://${'a'.repeat(64)}.example.com/`, 'hostname_invalid'],
    [`https://${Array.from({ length: 51 }, () => 'abcd').join('.')}.com/`, 'hostname_invalid'],
    ['https://a..b/', 'hostname_invalid'],
    ['https://-bad-.example.com/', 'hostname_invalid'],
    ['https://127.0.0.1/', 'address_refused'],
    ['https://0x7f.1/', 'address_refused'], // normalized by the URL parser to 127.0.0.1
    ['https://2130706433/', 'address_refused'],
    ['https://[::1]/', 'address_refused'],
    ['https://[::ffff:127.0.0.1]/', 'address_refused'],
    ['https://[::ffff:a9fe:a9fe]/', 'address_refused'],
    ['https://169.254.169.254/latest/meta-data/', 'address_refused'],
    ['https://[fd00:ec2::254]/', 'address_refused'],
    ['https://8.8.8.8/', 'allowed'],
  ])('%s → %s', (url, expected) => {
    const verdict = production.checkUrl(url);
    expect(verdict.ok ? 'allowed' : verdict.code).toBe(expected);
  });

  it('allows http and allow-listed literal addresses only when configured', () => {
    expect(development.checkUrl('http://127.0.0.1:3000/hook')).toMatchObject({
      ok: true,
      target: { hostname: '127.0.0.1', port: 3000, literalAddress: '127.0.0.1' },
    });
    expect(development.checkUrl('http://[::1]:3000/hook')).toMatchObject({ ok: false, code: 'address_refused' });
    // A name over http: allowed as written, its addresses must then be inside the allow-list.
    const named = development.checkUrl('http://hooks.example.com/');
    expect(named).toMatchObject({ ok: true, target: { port: 80 } });
    expect(named.ok && named.target.addresses).toBe(development.httpAddresses);
  });

  it('never lets plain http reach a public address, in any configuration (the HTTPS rule)', () => {
    expect(development.checkUrl('http://93.184.216.34/hook')).toEqual({
      ok: false,
      code: 'scheme_not_allowed',
      reason: 'URL must use https (plain http only to 127.0.0.0/8, allowed for local development)',
    });
    // The defaults: http allowed, but no range to use it toward.
    const defaults = new SsrfPolicy({ allowHttp: true, allowPrivateCidrs: [] });
    expect(defaults.checkUrl('http://93.184.216.34/hook')).toEqual({ ok: false, code: 'scheme_not_allowed', reason: 'URL must use https' });
    expect(defaults.checkUrl('http://127.0.0.1/hook')).toEqual({ ok: false, code: 'scheme_not_allowed', reason: 'URL must use https' });
    // An operator may allow a public range explicitly; then http reaches it, and only it.
    const explicit = new SsrfPolicy({ allowHttp: true, allowPrivateCidrs: ['93.184.216.0/24'] });
    expect(explicit.checkUrl('http://93.184.216.34/hook')).toMatchObject({ ok: true });
    expect(explicit.checkUrl('http://8.8.8.8/hook')).toMatchObject({ ok: false, code: 'scheme_not_allowed' });
    expect(development.httpAddresses.check('93.184.216.34')).toMatchObject({ allowed: false, reason: 'plain-http' });
    expect(development.httpAddresses.check('127.0.0.1')).toEqual({ allowed: true, address: '127.0.0.1', exemptedBy: '127.0.0.0/8' });
    expect(development.addresses.check('93.184.216.34')).toMatchObject({ allowed: true });
  });

  it.each([
    ['https://localhost/', 'host name localhost always means 127.0.0.1: address 127.0.0.1 is loopback'],
    ['https://localhost./', 'host name localhost. always means 127.0.0.1: address 127.0.0.1 is loopback'],
    ['https://LOCALHOST../', 'host name label "" is not valid'],
    ['https://localhost%2e/', 'host name localhost. always means 127.0.0.1: address 127.0.0.1 is loopback'],
    ['https://%6c%6fcalhost/', 'host name localhost always means 127.0.0.1: address 127.0.0.1 is loopback'],
    ['https://ｌｏｃａｌｈｏｓｔ/', 'host name localhost always means 127.0.0.1: address 127.0.0.1 is loopback'],
    ['https://api.localhost/', 'host name api.localhost always means 127.0.0.1: address 127.0.0.1 is loopback'],
    ['https://ip6-localhost/', 'host name ip6-localhost always means ::1: address ::1 is loopback'],
    ['https://app.lvh.me/', 'host name app.lvh.me always means 127.0.0.1: address 127.0.0.1 is loopback'],
    ['https://metadata.google.internal/computeMetadata/v1/', 'host name metadata.google.internal always means 169.254.169.254: address 169.254.169.254 is a cloud metadata endpoint (169.254.169.254/32)'],
    ['https://Metadata.Google.Internal./', 'host name metadata.google.internal. always means 169.254.169.254: address 169.254.169.254 is a cloud metadata endpoint (169.254.169.254/32)'],
    ['https://metadata/', 'host name metadata always means 169.254.169.254: address 169.254.169.254 is a cloud metadata endpoint (169.254.169.254/32)'],
    ['https://instance-data.ec2.internal/', 'host name instance-data.ec2.internal always means 169.254.169.254: address 169.254.169.254 is a cloud metadata endpoint (169.254.169.254/32)'],
    ['https://127.0.0.1.nip.io/', 'host name 127.0.0.1.nip.io resolves (nip.io) to 127.0.0.1: address 127.0.0.1 is loopback'],
    ['https://app.169.254.169.254.nip.io/', 'host name app.169.254.169.254.nip.io resolves (nip.io) to 169.254.169.254: address 169.254.169.254 is a cloud metadata endpoint (169.254.169.254/32)'],
    ['https://app-127-0-0-1.sslip.io/', 'host name app-127-0-0-1.sslip.io resolves (sslip.io) to 127.0.0.1: address 127.0.0.1 is loopback'],
    ['https://7f000001.nip.io/', 'host name 7f000001.nip.io resolves (nip.io) to 127.0.0.1: address 127.0.0.1 is loopback'],
    ['https://a9fea9fe.nip.io/', 'host name a9fea9fe.nip.io resolves (nip.io) to 169.254.169.254: address 169.254.169.254 is a cloud metadata endpoint (169.254.169.254/32)'],
    ['https://0--1.sslip.io/', 'host name 0--1.sslip.io resolves (sslip.io) to 0::1: address 0::1 is loopback'],
    ['https://10.0.0.1.xip.io/', 'host name 10.0.0.1.xip.io resolves (xip.io) to 10.0.0.1: address 10.0.0.1 is private'],
    ['https://7f000001.c0a80001.rbndr.us/', 'host name 7f000001.c0a80001.rbndr.us resolves (rbndr.us) to 192.168.0.1: address 192.168.0.1 is private'],
    ['https://nip.io/', 'host name nip.io belongs to nip.io, which answers with the address written in the name'],
  ])('refuses the conventional name in %s before any lookup', (url, reason) => {
    const verdict = production.checkUrl(url);
    expect(verdict.ok ? 'allowed' : verdict.reason).toBe(reason);
  });

  it('judges a conventional name by its address, so an allow-list entry covers it', () => {
    expect(development.checkUrl('http://localhost:3000/hook')).toMatchObject({ ok: true });
    expect(development.checkUrl('http://127.0.0.1.nip.io:3000/hook')).toMatchObject({ ok: true });
    expect(development.checkUrl('http://metadata.google.internal/')).toMatchObject({ ok: false, code: 'hostname_refused' });
    expect(development.checkUrl('https://8.8.8.8.nip.io/')).toMatchObject({ ok: true });
    expect(production.checkUrl('https://hooks.example.com.evil-nip.io/')).toMatchObject({ ok: true });
  });

  it('explains a refused literal address', () => {
    expect(production.checkUrl('https://10.0.0.1/')).toEqual({ ok: false, code: 'address_refused', reason: 'address 10.0.0.1 is private' });
  });
});
