import * as ipaddr from 'ipaddr.js';

/**
 * SSRF rules for webhook targets (DESIGN.md "Delivery policy"): which addresses
 * a delivery may connect to and which URLs a subscription may hold. Pure: the
 * HTTP sender resolves names and asks this policy about every address before
 * it connects (see docs/decisions/0020-delivery-ssrf-guard.md).
 */

export const ADDRESS_REFUSAL_REASONS = [
  'invalid',
  'unspecified',
  'loopback',
  'private',
  'link-local',
  'multicast',
  'broadcast',
  'carrier-grade-nat',
  'benchmarking',
  'documentation',
  'unique-local',
  'metadata',
  'reserved',
  'plain-http',
] as const;
export type AddressRefusalReason = (typeof ADDRESS_REFUSAL_REASONS)[number];

export type AddressVerdict =
  | {
      allowed: true;
      address: string;
      /** Set when the address is special-purpose but an allow-list entry let it through. */
      exemptedBy: string | null;
    }
  | {
      allowed: false;
      address: string;
      reason: AddressRefusalReason;
      /** The explicit range that matched, when one did (ipaddr.js built-in ranges report none). */
      range: string | null;
    };

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

interface RangeRule {
  reason: AddressRefusalReason;
  cidrs: readonly string[];
}

/**
 * Cloud metadata and credential endpoints. Refused even when a broad allow-list
 * covers them: only an allow-list entry at least as narrow as the entry here
 * exempts one, so `169.254.0.0/16` in development does not open the IMDS.
 */
export const METADATA_CIDRS: readonly string[] = [
  '169.254.169.254/32', // AWS, GCP, Azure, DigitalOcean, OpenStack, Oracle IMDS
  '169.254.170.2/32', // AWS ECS task credentials
  '169.254.170.23/32', // AWS EKS Pod Identity agent
  '100.100.100.200/32', // Alibaba Cloud
  '168.63.129.16/32', // Azure WireServer (a public address, special inside Azure)
  '192.0.0.192/32', // Oracle Cloud (legacy)
  'fd00:ec2::254/128', // AWS IMDS over IPv6
  'fd00:ec2::23/128', // AWS EKS Pod Identity agent over IPv6
];

/** Ranges ipaddr.js folds into `reserved`, split out so the refusal says what they are. */
const EXPLICIT_RULES: readonly RangeRule[] = [
  { reason: 'metadata', cidrs: METADATA_CIDRS },
  { reason: 'documentation', cidrs: ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/32', '3fff::/20'] },
  { reason: 'benchmarking', cidrs: ['198.18.0.0/15', '2001:2::/48'] },
  // RFC 8215 local-use NAT64: translates into the operator's own network.
  { reason: 'reserved', cidrs: ['64:ff9b:1::/48'] },
];

/**
 * IPv6 forms that carry an IPv4 address in their low 32 bits (6to4 in bits 16–48).
 * The embedded address is judged as IPv4; `routable` says whether the form itself
 * reaches the Internet when the embedded address is public.
 */
const EMBEDDED_IPV4_FORMS: readonly { cidr: string; routable: boolean; extract: (parts: number[]) => [number, number] }[] = [
  { cidr: '64:ff9b::/96', routable: true, extract: (p) => [p[6], p[7]] }, // RFC 6052 well-known NAT64 prefix
  { cidr: '::ffff:0:0:0/96', routable: false, extract: (p) => [p[6], p[7]] }, // RFC 6145 IPv4-translated
  { cidr: '::/96', routable: false, extract: (p) => [p[6], p[7]] }, // deprecated IPv4-compatible
  { cidr: '2002::/16', routable: false, extract: (p) => [p[1], p[2]] }, // 6to4 (relays deprecated, RFC 7526)
];

/** ipaddr.js `range()` names → refusal reasons; `unicast` is the only name that passes. */
const RANGE_REASONS: Readonly<Record<string, AddressRefusalReason>> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade-nat',
  private: 'private',
  deprecatedSiteLocal: 'private',
  uniqueLocal: 'unique-local',
  benchmarking: 'benchmarking',
};

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

const PARSED_RULES = EXPLICIT_RULES.map((rule) => ({
  reason: rule.reason,
  cidrs: rule.cidrs.map((text) => ({ text, cidr: ipaddr.parseCIDR(text) as Cidr })),
}));
const PARSED_EMBEDDED = EMBEDDED_IPV4_FORMS.map((form) => ({ ...form, parsed: ipaddr.parseCIDR(form.cidr) as Cidr }));
const PARSED_METADATA = METADATA_CIDRS.map((text) => ({ text, cidr: ipaddr.parseCIDR(text) as Cidr }));

function matches(address: ipaddr.IPv4 | ipaddr.IPv6, [range, bits]: Cidr): boolean {
  // ipaddr.js throws when kinds differ; a v4 range never matches a v6 address here.
  return address.kind() === range.kind() && address.match(range, bits);
}

interface Refusal {
  reason: AddressRefusalReason;
  range: string | null;
}

/** Why an address may not be a webhook target, or `null` for a public unicast address. */
function refusalOf(address: ipaddr.IPv4 | ipaddr.IPv6): Refusal | null {
  if (address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress()) return refusalOf(address.toIPv4Address());

  for (const rule of PARSED_RULES) {
    const hit = rule.cidrs.find(({ cidr }) => matches(address, cidr));
    if (hit) return { reason: rule.reason, range: hit.text };
  }

  const range = address.range();
  if (address instanceof ipaddr.IPv6) {
    // `::` and `::1` sit inside the IPv4-compatible ::/96; name them first.
    if (range === 'unspecified' || range === 'loopback') return { reason: range, range: null };
    for (const form of PARSED_EMBEDDED) {
      if (!matches(address, form.parsed)) continue;
      const [high, low] = form.extract(address.parts);
      const embedded = new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
      const inner = refusalOf(embedded);
      if (inner) return inner;
      if (!form.routable) return { reason: 'reserved', range: form.cidr };
      return null;
    }
  }

  if (range !== 'unicast') return { reason: RANGE_REASONS[range] ?? 'reserved', range: null };
  // Fail closed on IPv6 outside global unicast: unallocated space is not a webhook target.
  if (address instanceof ipaddr.IPv6 && !matches(address, GLOBAL_UNICAST_V6 as Cidr)) return { reason: 'reserved', range: '2000::/3 (outside)' };
  return null;
}

function parseAllowEntry(entry: string): { text: string; cidr: Cidr } {
  const text = entry.trim();
  try {
    if (text.includes('/')) return { text, cidr: ipaddr.parseCIDR(text) as Cidr };
    const address = ipaddr.parse(text);
    return { text, cidr: [address, address.kind() === 'ipv4' ? 32 : 128] };
  } catch {
    throw new Error(`webhooks.allowPrivateCidrs: "${entry}" is not an IP address or CIDR`);
  }
}

function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  let bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (bare.includes(':')) {
    // Canonicalize IPv6 with the WHATWG parser first: ipaddr.js reads "::8.8.8.8" as ::ffff:8.8.8.8,
    // while the socket (RFC 4291) reaches the IPv4-compatible ::808:808. The zone id plays no part.
    try {
      bare = new URL(`http://[${bare.split('%')[0]}]/`).hostname.slice(1, -1);
    } catch {
      return null;
    }
  }
  if (!ipaddr.isValid(bare)) return null;
  const address = ipaddr.parse(bare);
  // Judge what the socket will reach: an IPv4-mapped address is that IPv4 host.
  return address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress() ? address.toIPv4Address() : address;
}

/**
 * Judges target addresses. `allowPrivateCidrs` (config `webhooks.allowPrivateCidrs`)
 * exempts ranges explicitly, e.g. `127.0.0.0/8` for receivers on a laptop.
 */
export class AddressPolicy {
  private readonly allowList: { text: string; cidr: Cidr }[];

  /**
   * `plainHttp`: the policy for `http:` targets, which may only reach addresses inside the
   * allow-list (development receivers); a public address needs https.
   */
  constructor(
    allowPrivateCidrs: readonly string[] = [],
    private readonly plainHttp = false,
  ) {
    this.allowList = allowPrivateCidrs.map(parseAllowEntry);
  }

  /** The same allow-list, judging `http:` targets: only addresses inside it. */
  forPlainHttp(): AddressPolicy {
    return new AddressPolicy(
      this.allowList.map(({ text }) => text),
      true,
    );
  }

  /** The allow-list entries, as configured. */
  get allowed(): string[] {
    return this.allowList.map(({ text }) => text);
  }

  check(address: string): AddressVerdict {
    const parsed = parseAddress(address);
    if (!parsed) return { allowed: false, address, reason: 'invalid', range: null };
    const refusal = refusalOf(parsed);
    if (!refusal) {
      if (!this.plainHttp) return { allowed: true, address, exemptedBy: null };
      const covering = this.allowList.find(({ cidr }) => matches(parsed, cidr));
      if (covering) return { allowed: true, address, exemptedBy: covering.text };
      return { allowed: false, address, reason: 'plain-http', range: null };
    }
    const exemption = this.exemptionFor(parsed, refusal);
    if (exemption) return { allowed: true, address, exemptedBy: exemption };
    return { allowed: false, address, reason: refusal.reason, range: refusal.range };
  }

  /**
   * All-or-nothing: a name is a target only if every address it resolves to is
   * allowed, so a record set mixing public and private addresses is refused
   * (which address a retry would use is not ours to predict).
   */
  checkAll(addresses: readonly string[]): { allowed: true } | { allowed: false; refused: Extract<AddressVerdict, { allowed: false }> } {
    if (addresses.length === 0) return { allowed: false, refused: { allowed: false, address: '', reason: 'invalid', range: null } };
    for (const address of addresses) {
      const verdict = this.check(address);
      if (!verdict.allowed) return { allowed: false, refused: verdict };
    }
    return { allowed: true };
  }

  private exemptionFor(address: ipaddr.IPv4 | ipaddr.IPv6, refusal: Refusal): string | null {
    const covering = this.allowList.filter(({ cidr }) => matches(address, cidr));
    if (refusal.reason !== 'metadata') return covering[0]?.text ?? null;
    // A broad entry (e.g. 169.254.0.0/16) does not open a metadata endpoint: only an entry naming it
    // does, and never through a translated form (NAT64, IPv4-compatible) of it.
    const metadata = PARSED_METADATA.find(({ cidr }) => matches(address, cidr));
    if (!metadata) return null;
    return covering.find(({ cidr }) => cidr[1] >= metadata.cidr[1])?.text ?? null;
  }
}

export function describeAddressRefusal(verdict: Extract<AddressVerdict, { allowed: false }>): string {
  if (verdict.reason === 'invalid') return `"${verdict.address}" is not an IP address`;
  const range = verdict.range ? ` (${verdict.range})` : '';
  return `address ${verdict.address} is ${REASON_LABELS[verdict.reason]}${range}`;
}

const REASON_LABELS: Readonly<Record<AddressRefusalReason, string>> = {
  invalid: 'invalid',
  unspecified: 'unspecified',
  loopback: 'loopback',
  private: 'private',
  'link-local': 'link-local',
  multicast: 'multicast',
  broadcast: 'broadcast',
  'carrier-grade-nat': 'carrier-grade NAT',
  benchmarking: 'reserved for benchmarking',
  documentation: 'reserved for documentation',
  'unique-local': 'unique-local',
  metadata: 'a cloud metadata endpoint',
  reserved: 'reserved',
  'plain-http': 'public: plain http is only for addresses allowed for local development, use https',
};

// ── URLs ────────────────────────────────────────────────────────────────────

export const URL_REFUSAL_CODES = [
  'invalid_url',
  'scheme_not_allowed',
  'credentials_not_allowed',
  'fragment_not_allowed',
  'port_not_allowed',
  'hostname_invalid',
  'hostname_refused',
  'address_refused',
] as const;
export type UrlRefusalCode = (typeof URL_REFUSAL_CODES)[number];

export const MAX_WEBHOOK_URL_LENGTH = 2048;
const MAX_HOSTNAME_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;
const IPV4_DOTTED = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const LABEL_PATTERN = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/i;

/**
 * The Fetch standard's "bad ports": services that speak other protocols and
 * could be driven by a crafted HTTP request (SMTP, IRC, …). Browsers refuse
 * them; so do we.
 */
export const BLOCKED_PORTS: ReadonlySet<number> = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111,
  113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554,
  556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666,
  6667, 6668, 6669, 6679, 6697, 10080,
]);

// ── Names that stand for an address whatever this machine's DNS says ────────

/**
 * Names that mean loopback or a metadata endpoint by convention (RFC 6761, cloud
 * providers), wherever they are resolved. DNS here may not answer them (or answer
 * differently from the network the worker runs in), so they are judged by the
 * address they stand for, before any lookup. Keys are lower case, no trailing dot;
 * `*.` covers every name below.
 */
const NAMED_ADDRESSES: Readonly<Record<string, string>> = {
  localhost: '127.0.0.1',
  '*.localhost': '127.0.0.1',
  'localhost.localdomain': '127.0.0.1',
  'ip6-localhost': '::1',
  'ip6-loopback': '::1',
  // Public names whose records point at loopback, for local development.
  'localtest.me': '127.0.0.1',
  '*.localtest.me': '127.0.0.1',
  'lvh.me': '127.0.0.1',
  '*.lvh.me': '127.0.0.1',
  'vcap.me': '127.0.0.1',
  '*.vcap.me': '127.0.0.1',
  // Cloud metadata services by name (GCP, AWS, Tencent).
  metadata: '169.254.169.254',
  'metadata.google.internal': '169.254.169.254',
  'metadata.goog': '169.254.169.254',
  'instance-data': '169.254.169.254',
  'instance-data.ec2.internal': '169.254.169.254',
  'metadata.tencentyun.com': '169.254.0.23',
};

/** Wildcard DNS services that answer with the address written in the name (and DNS-rebinding services). */
const ADDRESS_IN_NAME_SUFFIXES = ['nip.io', 'sslip.io', 'xip.io', 'traefik.me', 'rbndr.us', '1u.ms'];

type NamedTarget = { kind: 'named'; address: string } | { kind: 'address-in-name'; address: string | null; service: string };

/** What a host name stands for by convention, or null for an ordinary name (judged by DNS at send time). */
function conventionalTarget(hostname: string): NamedTarget | null {
  // The WHATWG parser has already lower-cased, percent-decoded and IDNA-mapped the name (ＬＯＣＡＬＨＯＳＴ, localhost%2e).
  const name = hostname.replace(/\.+$/, '').toLowerCase();
  const exact = NAMED_ADDRESSES[name];
  if (exact) return { kind: 'named', address: exact };
  for (let dot = name.indexOf('.'); dot !== -1; dot = name.indexOf('.', dot + 1)) {
    const wildcard = NAMED_ADDRESSES[`*${name.slice(dot)}`];
    if (wildcard) return { kind: 'named', address: wildcard };
  }
  const service = ADDRESS_IN_NAME_SUFFIXES.find((suffix) => name === suffix || name.endsWith(`.${suffix}`));
  if (!service) return null;
  return { kind: 'address-in-name', address: addressInName(name.slice(0, -service.length - 1)), service };
}

/** The address nip.io-style services read from a name: `a.1.2.3.4`, `a-1-2-3-4`, `7f000001`, `--1` (IPv6). */
function addressInName(prefix: string): string | null {
  const dotted = /(?:^|[.-])(\d{1,3}(?:\.\d{1,3}){3})$/.exec(prefix);
  if (dotted && ipaddr.IPv4.isValidFourPartDecimal(dotted[1])) return dotted[1];
  const last = prefix.split('.').pop() ?? '';
  const dashed = /(?:^|-)(\d{1,3}(?:-\d{1,3}){3})$/.exec(last);
  if (dashed && ipaddr.IPv4.isValidFourPartDecimal(dashed[1].replaceAll('-', '.'))) return dashed[1].replaceAll('-', '.');
  const hex = /(?:^|-)([0-9a-f]{8})$/.exec(last);
  if (hex) return ipaddr.fromByteArray([0, 2, 4, 6].map((i) => parseInt(hex[1].slice(i, i + 2), 16))).toString();
  const v6 = last.replaceAll('-', ':');
  if (v6.includes('::') && ipaddr.IPv6.isValid(v6)) return v6;
  return null;
}

export interface WebhookTarget {
  url: URL;
  /** Host name or IP literal without IPv6 brackets. */
  hostname: string;
  port: number;
  /** Set when the URL names an IP address: no DNS, checked as is. */
  literalAddress: string | null;
  /** The rules for the addresses the host name resolves to (an `http:` URL reaches only allow-listed ranges). */
  addresses: AddressPolicy;
}

export type UrlVerdict = { ok: true; target: WebhookTarget } | { ok: false; code: UrlRefusalCode; reason: string };

export interface SsrfPolicyOptions {
  /** Whether plain `http:` is allowed at all; it only ever reaches `allowPrivateCidrs` (local development). */
  allowHttp: boolean;
  allowPrivateCidrs: readonly string[];
}

/**
 * URL rules plus the address policy: what create/update validation, the Test
 * button and every send ask. One rule for all three (docs/decisions/0020, 0095).
 */
export class SsrfPolicy {
  readonly addresses: AddressPolicy;
  /** For `http:` URLs: only the allow-listed ranges, never a public address. */
  readonly httpAddresses: AddressPolicy;

  constructor(private readonly options: SsrfPolicyOptions) {
    this.addresses = new AddressPolicy(options.allowPrivateCidrs);
    this.httpAddresses = this.addresses.forPlainHttp();
  }

  /** Shape rules, conventional names, and for an IP literal the address rules. Other names still have to be resolved and checked. */
  checkUrl(input: string): UrlVerdict {
    if (input.length > MAX_WEBHOOK_URL_LENGTH) return refuse('invalid_url', `URL must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      return refuse('invalid_url', 'not a valid absolute URL');
    }
    const plainHttp = url.protocol === 'http:';
    if (url.protocol !== 'https:' && !(plainHttp && this.httpAllowed)) return refuse('scheme_not_allowed', this.httpsRequired());
    if (url.username || url.password) return refuse('credentials_not_allowed', 'URL must not contain credentials (user name or password)');
    // A fragment never reaches the receiver; a URL with one is a mistake we should show, not hide.
    if (url.hash || input.includes('#')) return refuse('fragment_not_allowed', 'URL must not contain a #fragment');
    const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    if (BLOCKED_PORTS.has(port)) return refuse('port_not_allowed', `port ${port} is not allowed`);

    const addresses = plainHttp ? this.httpAddresses : this.addresses;
    // The WHATWG parser serializes every IPv4 host as dotted decimal and every IPv6 host in brackets.
    const isLiteral = url.hostname.startsWith('[') || IPV4_DOTTED.test(url.hostname);
    const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    if (isLiteral) {
      const verdict = addresses.check(hostname);
      if (!verdict.allowed) return this.refuseAddress(verdict);
      return { ok: true, target: { url, hostname, port, literalAddress: hostname, addresses } };
    }
    const hostnameProblem = hostnameError(hostname);
    if (hostnameProblem) return refuse('hostname_invalid', hostnameProblem);
    const named = conventionalTarget(hostname);
    if (named?.kind === 'address-in-name' && named.address === null) {
      return refuse('hostname_refused', `host name ${hostname} belongs to ${named.service}, which answers with the address written in the name`);
    }
    if (named?.address) {
      const verdict = addresses.check(named.address);
      if (!verdict.allowed) {
        if (verdict.reason === 'plain-http') return refuse('scheme_not_allowed', this.httpsRequired());
        const means = named.kind === 'named' ? 'always means' : `resolves (${(named as { service: string }).service}) to`;
        return refuse('hostname_refused', `host name ${hostname} ${means} ${named.address}: ${describeAddressRefusal(verdict)}`);
      }
    }
    return { ok: true, target: { url, hostname, port, literalAddress: null, addresses } };
  }

  /** Plain http is possible only toward explicitly allowed ranges. */
  private get httpAllowed(): boolean {
    return this.options.allowHttp && this.options.allowPrivateCidrs.length > 0;
  }

  /** Why an `http:` URL is refused here, naming the ranges plain http may reach. */
  httpsRequired(): string {
    if (!this.httpAllowed) return 'URL must use https';
    return `URL must use https (plain http only to ${this.options.allowPrivateCidrs.join(', ')}, allowed for local development)`;
  }

  private refuseAddress(verdict: Extract<AddressVerdict, { allowed: false }>): UrlVerdict {
    if (verdict.reason === 'plain-http') return refuse('scheme_not_allowed', this.httpsRequired());
    return refuse('address_refused', describeAddressRefusal(verdict));
  }
}

function hostnameError(hostname: string): string | null {
  const name = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  if (name.length === 0) return 'URL has no host name';
  if (name.length > MAX_HOSTNAME_LENGTH) return `host name is longer than ${MAX_HOSTNAME_LENGTH} characters`;
  for (const label of name.split('.')) {
    if (label.length === 0 || label.length > MAX_LABEL_LENGTH || !LABEL_PATTERN.test(label)) {
      return `host name label "${label}" is not valid`;
    }
  }
  return null;
}

function refuse(code: UrlRefusalCode, reason: string): UrlVerdict {
  return { ok: false, code, reason };
}
