import { exportedFamilies, familyOf, metricNamesIn } from './support/metric-names';

describe('metricNamesIn (PromQL → metric names)', () => {
  it.each([
    ['up{job="harmony-webhooks"} == 0', ['up']],
    ['sum by (group, topic) (max by (group, topic, partition) (kafka_consumer_lag))', ['kafka_consumer_lag']],
    ['histogram_quantile(0.99, sum by (le) (rate(webhook_delivery_latency_seconds_bucket{attempt="first"}[$__rate_interval])))', ['webhook_delivery_latency_seconds_bucket']],
    ['sum(rate(a_total{outcome="success"}[5m])) / sum(rate(a_total[5m])) > 0.95 and sum(rate(b_total[5m])) > 0.1', ['a_total', 'b_total']],
    ['sum(rate(x_total[5m])) by (tier) unless on (tier) y_info offset 1h', ['x_total', 'y_info']],
    ['harmony:kafka_consumer_lag:group_topic > 10000', ['harmony:kafka_consumer_lag:group_topic']],
    ['sum by (service) (process_resident_memory_bytes{service=~"$service"})', ['process_resident_memory_bytes']],
    ['label_values(process_cpu_seconds_total, service)', ['process_cpu_seconds_total']],
    ['{__name__="not_parsed"}', []],
  ])('%s', (expr, names) => {
    expect(metricNamesIn(expr).sort()).toEqual([...names].sort());
  });
});

describe('exportedFamilies / familyOf', () => {
  const exposition = [
    '# HELP ingest_events_total Upstream events.',
    '# TYPE ingest_events_total counter',
    '# HELP lat_seconds Latency.',
    '# TYPE lat_seconds histogram',
    'lat_seconds_bucket{le="1"} 0',
    '# TYPE kafka_consumer_lag gauge',
  ].join('\n');

  it('reads every # TYPE line, samples or not', () => {
    expect([...exportedFamilies(exposition).entries()]).toEqual([
      ['ingest_events_total', 'counter'],
      ['lat_seconds', 'histogram'],
      ['kafka_consumer_lag', 'gauge'],
    ]);
  });

  it('maps histogram series to their family, and nothing else', () => {
    const families = exportedFamilies(exposition);
    expect(familyOf('lat_seconds_bucket', families)).toBe('lat_seconds');
    expect(familyOf('lat_seconds_count', families)).toBe('lat_seconds');
    expect(familyOf('kafka_consumer_lag', families)).toBe('kafka_consumer_lag');
    expect(familyOf('kafka_consumer_lag_sum', families)).toBeUndefined();
    expect(familyOf('ingest_events', families)).toBeUndefined();
  });
});
