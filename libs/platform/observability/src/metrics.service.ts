import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CounterConfiguration, GaugeConfiguration, HistogramConfiguration } from 'prom-client';

/**
 * How often the event-loop delay histogram (`nodejs_eventloop_lag_*_seconds`)
 * samples the loop. prom-client's default, 10 ms, is a native timer that wakes
 * an idle process 100 times a second — a third of the idle all-in-one's main
 * thread (decision 0101 §5). Each sample records the time since the last one,
 * so an idle loop reads ≈ 0.1 s and the excess is how late the loop ran; a
 * stall of 100 ms or more is always seen, shorter ones in proportion to their length.
 */
export const EVENT_LOOP_SAMPLE_MS = 100;

/**
 * The process's one Prometheus registry. In the all-in-one app the five
 * services share it, so metric factories return the existing metric when a
 * name is registered twice instead of throwing.
 */
export class MetricsService {
  readonly registry = new Registry();

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  }

  counter<L extends string>(config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
    return (this.registry.getSingleMetric(config.name) as Counter<L>) ?? new Counter({ ...config, registers: [this.registry] });
  }

  gauge<L extends string>(config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
    return (this.registry.getSingleMetric(config.name) as Gauge<L>) ?? new Gauge({ ...config, registers: [this.registry] });
  }

  histogram<L extends string>(config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
    return (this.registry.getSingleMetric(config.name) as Histogram<L>) ?? new Histogram({ ...config, registers: [this.registry] });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
