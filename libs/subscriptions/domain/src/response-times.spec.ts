import { RESPONSE_TIME_BOUNDS_MS, responseTimeBucket, responseTimeQuantile } from './response-times';

describe('response time histogram', () => {
  it('numbers buckets as width_bucket does: below the first bound is 0, at a bound starts its bucket', () => {
    expect(responseTimeBucket(0)).toBe(0);
    expect(responseTimeBucket(0.5)).toBe(0);
    expect(responseTimeBucket(1)).toBe(1);
    expect(responseTimeBucket(99)).toBe(RESPONSE_TIME_BOUNDS_MS.indexOf(80) + 1);
    expect(responseTimeBucket(100)).toBe(RESPONSE_TIME_BOUNDS_MS.indexOf(100) + 1);
    expect(responseTimeBucket(3_600_000)).toBe(RESPONSE_TIME_BOUNDS_MS.length);
  });

  it('answers percentiles within a bucket step of the exact ones', () => {
    const durations = Array.from({ length: 1000 }, (_, i) => 40 + (i % 200));
    const counts = new Map<number, number>();
    for (const ms of durations) counts.set(responseTimeBucket(ms), (counts.get(responseTimeBucket(ms)) ?? 0) + 1);
    const exact = (q: number): number => [...durations].sort((a, b) => a - b)[Math.ceil(q * durations.length) - 1] as number;
    for (const q of [0.5, 0.95]) {
      const estimate = responseTimeQuantile(counts, q) as number;
      expect(Math.abs(estimate - exact(q)) / exact(q)).toBeLessThan(0.15);
    }
  });

  it('is null without attempts and "at least 60 s" past the last bound', () => {
    expect(responseTimeQuantile(new Map(), 0.5)).toBeNull();
    expect(responseTimeQuantile(new Map([[RESPONSE_TIME_BOUNDS_MS.length, 3]]), 0.95)).toBe(60_000);
  });
});
