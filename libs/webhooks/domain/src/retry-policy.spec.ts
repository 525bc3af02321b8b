import { MAX_DELIVERY_ATTEMPTS, RETRY_TIERS, retryTierForAttempt } from '@harmony/contracts';
import { MAX_RETRY_AFTER_MS, parseRetryAfter, RetryPolicy } from './retry-policy';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

describe('RetryPolicy', () => {
  const at = (random: number) => new RetryPolicy({ random: () => random });

  it('follows the tiers 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h without jitter at the midpoint', () => {
    const policy = at(0.5);
    const delays = [1, 2, 3, 4, 5, 6, 7].map((attempt) => {
      const decision = policy.afterFailure(attempt);
      if (decision.kind !== 'retry') throw new Error(`attempt ${attempt} exhausted`);
      expect(decision.nextAttempt).toBe(attempt + 1);
      expect(decision.tier).toBe(retryTierForAttempt(attempt + 1));
      return decision.delayMs;
    });
    expect(delays).toEqual([5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR]);
  });

  it('is exhausted after the eighth attempt', () => {
    expect(at(0.5).afterFailure(MAX_DELIVERY_ATTEMPTS)).toEqual({ kind: 'exhausted', attempts: 8 });
    expect(at(0.5).afterFailure(7)).toMatchObject({ kind: 'retry', nextAttempt: 8 });
    expect(new RetryPolicy({ maxAttempts: 3 }).afterFailure(3)).toEqual({ kind: 'exhausted', attempts: 3 });
  });

  it('keeps jitter within ±20 % at the extremes of the random source', () => {
    expect(at(0).afterFailure(2)).toMatchObject({ delayMs: 4 * MINUTE });
    expect(at(0.999999).afterFailure(2)).toMatchObject({ delayMs: 6 * MINUTE });
  });

  it('keeps jitter within ±20 % over many draws, and actually varies', () => {
    const policy = new RetryPolicy();
    const delays = Array.from({ length: 2000 }, () => policy.afterFailure(3)).map((d) => (d.kind === 'retry' ? d.delayMs : NaN));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(24 * MINUTE);
    expect(Math.max(...delays)).toBeLessThanOrEqual(36 * MINUTE);
    expect(new Set(delays).size).toBeGreaterThan(1000);
  });

  it('honours a Retry-After longer than the tier, never earlier than asked, and says so', () => {
    const decision = at(0).afterFailure(1, 60 * SECOND);
    expect(decision).toMatchObject({ kind: 'retry', delayMs: 60 * SECOND, retryAfterApplied: true });
    const highest = at(0.999999).afterFailure(1, 60 * SECOND);
    expect(highest.kind === 'retry' && highest.delayMs).toBeLessThanOrEqual(72 * SECOND);
  });

  it('ignores a Retry-After shorter than the tier: a receiver cannot hurry the schedule', () => {
    expect(at(0.5).afterFailure(2, 10 * SECOND)).toMatchObject({ delayMs: 5 * MINUTE, retryAfterApplied: false });
    expect(at(0.5).afterFailure(1, 0)).toMatchObject({ delayMs: 5 * SECOND, retryAfterApplied: false });
  });

  it('clamps Retry-After to 10 h', () => {
    expect(at(0.5).afterFailure(1, 7 * 24 * HOUR)).toMatchObject({ delayMs: MAX_RETRY_AFTER_MS, retryAfterApplied: true });
    expect(at(0.5).afterFailure(1, Number.POSITIVE_INFINITY)).toMatchObject({ delayMs: 5 * SECOND, retryAfterApplied: false });
  });

  it('moves a job pushed back by Retry-After to the tier topic that fits its wait', () => {
    expect(at(0).afterFailure(1, 3 * HOUR)).toMatchObject({ tier: { name: '2h' }, delayMs: 3 * HOUR });
    expect(at(0).afterFailure(1, 40 * MINUTE)).toMatchObject({ tier: { name: '30m' } });
    // A wait shorter than the attempt's tier never moves it to a shorter tier.
    expect(at(0).afterFailure(3)).toMatchObject({ tier: { name: '30m' }, delayMs: 24 * MINUTE });
  });

  it('picks a tier for a deferral: the longest not longer than the wait, at least the shortest', () => {
    const policy = new RetryPolicy();
    expect(policy.tierForDelay(0).name).toBe('5s');
    expect(policy.tierForDelay(30 * SECOND).name).toBe('5s');
    expect(policy.tierForDelay(5 * MINUTE).name).toBe('5m');
    expect(policy.tierForDelay(24 * HOUR).name).toBe('10h');
  });

  it('compresses time through tierDelayMs', () => {
    const fast = new RetryPolicy({ random: () => 0.5, tierDelayMs: (tier) => tier.delayMs / 1000 });
    expect(fast.afterFailure(1)).toMatchObject({ delayMs: 5, tier: RETRY_TIERS[0] });
    expect(fast.afterFailure(6)).toMatchObject({ delayMs: 36_000 });
  });

  it('rejects nonsense', () => {
    expect(() => at(0.5).afterFailure(0)).toThrow('positive integer');
    expect(() => new RetryPolicy({ jitterRatio: 1 })).toThrow('jitterRatio');
    expect(() => new RetryPolicy({ maxAttempts: 9 })).toThrow('maxAttempts');
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-27T09:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter(['30', '60'], now)).toBe(30_000);
  });

  it('reads an HTTP-date relative to now, past dates as 0', () => {
    expect(parseRetryAfter('Fri, 27 Nov 2026 09:05:00 GMT', now)).toBe(5 * MINUTE);
    expect(parseRetryAfter('Fri, 27 Nov 2026 08:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('Friday, 27-Nov-26 09:01:00 GMT', now)).toBe(MINUTE);
    expect(parseRetryAfter('Fri Nov 27 09:00:30 2026', now)).toBe(30 * SECOND);
  });

  it('returns null for anything else', () => {
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter('', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter('1.5', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('2026-11-27', now)).toBeNull();
  });
});
