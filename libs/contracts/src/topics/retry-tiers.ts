/**
 * Retry delay tiers (DESIGN.md "Delivery policy"): attempt 1 is immediate,
 * attempts 2..8 wait 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (±20 % jitter,
 * applied by the retry scheduler). One topic per distinct delay, so a message
 * never waits behind one that is due later.
 */
export const RETRY_TIERS = [
  { name: '5s', delayMs: 5_000 },
  { name: '5m', delayMs: 5 * 60_000 },
  { name: '30m', delayMs: 30 * 60_000 },
  { name: '2h', delayMs: 2 * 3_600_000 },
  { name: '5h', delayMs: 5 * 3_600_000 },
  { name: '10h', delayMs: 10 * 3_600_000 },
] as const;

export type RetryTier = (typeof RETRY_TIERS)[number];
export type RetryTierName = RetryTier['name'];

export const RETRY_TIER_NAMES: readonly RetryTierName[] = RETRY_TIERS.map((tier) => tier.name);

/** Attempts per event and subscription, the first one included. */
export const MAX_DELIVERY_ATTEMPTS = 8;

/** The tier that delays each retry attempt: index = attempt number (2..8). */
const TIER_BY_ATTEMPT: Readonly<Record<number, RetryTierName>> = {
  2: '5s',
  3: '5m',
  4: '30m',
  5: '2h',
  6: '5h',
  7: '10h',
  8: '10h',
};

/** Tier to wait in before `attempt` (2..MAX_DELIVERY_ATTEMPTS); `undefined` for 1 or past the last. */
export function retryTierForAttempt(attempt: number): RetryTier | undefined {
  const name = TIER_BY_ATTEMPT[attempt];
  return name === undefined ? undefined : RETRY_TIERS.find((tier) => tier.name === name);
}

export function isRetryTierName(name: unknown): name is RetryTierName {
  return typeof name === 'string' && (RETRY_TIER_NAMES as readonly string[]).includes(name);
}
