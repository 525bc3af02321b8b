import { EndpointRateLimiter } from './endpoint-rate-limiter';

describe('EndpointRateLimiter', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('lets a burst of one second of rate through, then refuses and says when to come back', () => {
    const limiter = new EndpointRateLimiter({ defaultPerSecond: 5, now: clock });
    const decisions = Array.from({ length: 6 }, () => limiter.tryTake('endpoint-a'));
    expect(decisions.slice(0, 5)).toEqual(Array(5).fill({ allowed: true }));
    expect(decisions[5]).toEqual({ allowed: false, retryInMs: 200 });
  });

  it('refills at the configured rate', () => {
    const limiter = new EndpointRateLimiter({ defaultPerSecond: 10, now: clock });
    for (let i = 0; i < 10; i++) limiter.tryTake('a');
    expect(limiter.tryTake('a').allowed).toBe(false);
    now += 100;
    expect(limiter.tryTake('a')).toEqual({ allowed: true });
    expect(limiter.tryTake('a')).toMatchObject({ allowed: false });
    now += 10_000;
    const burst = Array.from({ length: 11 }, () => limiter.tryTake('a').allowed);
    expect(burst.filter(Boolean)).toHaveLength(10);
  });

  it('keeps endpoints apart and honours a per-subscription rate', () => {
    const limiter = new EndpointRateLimiter({ defaultPerSecond: 1, now: clock });
    expect(limiter.tryTake('slow').allowed).toBe(true);
    expect(limiter.tryTake('slow').allowed).toBe(false);
    expect(limiter.tryTake('other').allowed).toBe(true);
    const fast = Array.from({ length: 50 }, () => limiter.tryTake('fast', 50).allowed);
    expect(fast.every(Boolean)).toBe(true);
    expect(limiter.tryTake('fast', 50)).toEqual({ allowed: false, retryInMs: 20 });
  });

  it('allows at least one request per bucket for rates below one a second', () => {
    const limiter = new EndpointRateLimiter({ defaultPerSecond: 0.5, now: clock });
    expect(limiter.tryTake('a').allowed).toBe(true);
    expect(limiter.tryTake('a')).toEqual({ allowed: false, retryInMs: 2_000 });
    now += 2_000;
    expect(limiter.tryTake('a').allowed).toBe(true);
  });

  it('adapts when the rate changes, without handing out a bigger burst than the new rate', () => {
    const limiter = new EndpointRateLimiter({ defaultPerSecond: 100, now: clock });
    limiter.tryTake('a');
    const afterLowering = Array.from({ length: 5 }, () => limiter.tryTake('a', 2).allowed);
    expect(afterLowering).toEqual([true, true, false, false, false]);
  });

  it('forgets full buckets on sweep', () => {
    const limiter = new EndpointRateLimiter({ defaultPerSecond: 10, now: clock });
    limiter.tryTake('idle');
    limiter.tryTake('busy');
    for (let i = 0; i < 9; i++) limiter.tryTake('busy');
    now += 150;
    expect(limiter.sweep()).toBe(1);
    expect(limiter.size).toBe(1);
    now += 1_000;
    expect(limiter.sweep()).toBe(1);
    expect(limiter.size).toBe(0);
  });

  it('rejects a non-positive default', () => {
    expect(() => new EndpointRateLimiter({ defaultPerSecond: 0 })).toThrow('positive');
  });
});
