/**
 * Response times kept as a histogram (decision 0113): each attempt counts in one
 * bucket, so a window's percentiles come from summed counts, not from every row.
 * Lower bounds in ms; bucket k holds [BOUNDS[k-1], BOUNDS[k]) (bucket 0 below
 * 1 ms, the last one 60 s and over), the numbering of PostgreSQL's
 * `width_bucket(ms, bounds)`. Neighbours are at most 1.33× apart, so an
 * interpolated percentile is off by less than that step.
 */
export const RESPONSE_TIME_BOUNDS_MS: readonly number[] = [
  1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 120, 150, 200, 250, 300, 400, 500, 600, 800, 1000, 1200, 1500, 2000, 2500, 3000, 4000,
  5000, 6000, 8000, 10000, 12000, 15000, 20000, 25000, 30000, 40000, 50000, 60000,
];

/** The bucket of a response time (`width_bucket` semantics). */
export function responseTimeBucket(ms: number): number {
  let low = 0;
  let high = RESPONSE_TIME_BOUNDS_MS.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((RESPONSE_TIME_BOUNDS_MS[middle] as number) <= ms) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The q-quantile (0 < q ≤ 1) of a histogram (bucket → count), interpolated
 * linearly inside its bucket; null when it is empty. One in the open last
 * bucket answers its lower bound (60 s): "at least".
 */
export function responseTimeQuantile(counts: ReadonlyMap<number, number>, q: number): number | null {
  let total = 0;
  for (const count of counts.values()) total += count;
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (const bucket of [...counts.keys()].sort((a, b) => a - b)) {
    const count = counts.get(bucket) ?? 0;
    if (count === 0) continue;
    if (seen + count >= rank) {
      const lower = bucket === 0 ? 0 : (RESPONSE_TIME_BOUNDS_MS[bucket - 1] as number);
      const upper = RESPONSE_TIME_BOUNDS_MS[bucket];
      if (upper === undefined) return lower;
      return Math.round(lower + ((upper - lower) * (rank - seen)) / count);
    }
    seen += count;
  }
  return null;
}
