import { EVENT_LOOP_SAMPLE_MS, MetricsService } from './metrics.service';

function value(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`));
  if (!line) throw new Error(`${name} not in the metrics`);
  return Number(line.split(' ').at(-1));
}

describe('MetricsService', () => {
  it('samples the event loop every EVENT_LOOP_SAMPLE_MS, not every 10 ms (an idle process is not woken 100 times a second)', async () => {
    const metrics = new MetricsService('test');
    await metrics.text(); // the histogram restarts after each scrape
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const text = await metrics.text();
    // Each sample is the time since the previous one: never shorter than the sampling interval.
    expect(value(text, 'nodejs_eventloop_lag_min_seconds')).toBeGreaterThanOrEqual((EVENT_LOOP_SAMPLE_MS * 0.9) / 1_000);
    expect(value(text, 'nodejs_eventloop_lag_mean_seconds')).toBeGreaterThan(0);
  });
});
