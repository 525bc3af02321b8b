import * as dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { type AddressPolicy, type AddressVerdict, describeAddressRefusal } from '@harmony/webhooks/domain';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has. Injectable so tests can play DNS (and DNS rebinding). */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: HostResolver = async (hostname) => {
  const addresses = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  return addresses.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

/** The SSRF guard refused the addresses a host name resolved to. */
export class SsrfRefusedError extends Error {
  readonly code = 'ERR_SSRF_REFUSED';

  constructor(
    readonly hostname: string,
    readonly refused: Extract<AddressVerdict, { allowed: false }>,
  ) {
    super(`${hostname} resolved to a refused address: ${describeAddressRefusal(refused)}`);
    this.name = 'SsrfRefusedError';
  }
}

/** Resolves a name and checks every address (all-or-nothing); throws SsrfRefusedError or the DNS error. */
export async function resolveChecked(hostname: string, policy: AddressPolicy, resolve: HostResolver): Promise<ResolvedAddress[]> {
  const addresses = await resolve(hostname);
  if (addresses.length === 0) throw Object.assign(new Error(`${hostname} has no addresses`), { code: 'ENOTFOUND' });
  const verdict = policy.checkAll(addresses.map(({ address }) => address));
  if (!verdict.allowed) throw new SsrfRefusedError(hostname, verdict.refused);
  return addresses;
}

/**
 * A `lookup` for net/tls.connect that resolves, checks and hands the socket
 * only checked addresses. The check runs inside the connect itself, so the
 * address a socket reaches is always one that was checked: a DNS answer that
 * changes between a validation and the request (rebinding) cannot slip in.
 * SNI and the Host header stay the host name, since only the lookup changes.
 */
export function guardedLookup(policy: AddressPolicy, resolve: HostResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolveChecked(hostname, policy, resolve).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        const [first] = wanted;
        if (!first) {
          const error = Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' });
          callback(error as NodeJS.ErrnoException, '', 0);
          return;
        }
        // With autoSelectFamily (Node ≥ 20 default) net asks for all addresses and races them.
        if (options.all) (callback as unknown as (err: null, all: ResolvedAddress[]) => void)(null, wanted);
        else callback(null, first.address, first.family);
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  };
}
