import type { EndpointHealthSummary } from '../api/api.types';
import { formatMs, formatRate } from '../format';

/** The list's compact view of a webhook's last 24 h: a bar of succeeded vs failed attempts, the rate, p95, an open circuit. */
export function HealthBar({ health }: { health: EndpointHealthSummary | undefined }) {
  if (!health) return null;
  const { last24h: day, breaker } = health;
  const circuit = breaker.state === 'open' ? 'Circuit open' : breaker.state === 'half-open' ? 'Circuit half-open' : null;
  if (day.attempts === 0) {
    return (
      <div className="small muted" data-testid="health-bar">
        No attempts in 24 h{circuit ? ` · ${circuit}` : ''}
      </div>
    );
  }
  const summary = `${formatRate(day.successRate)} of ${day.attempts} attempt${day.attempts === 1 ? '' : 's'} succeeded in 24 h`;
  return (
    <div className="small" data-testid="health-bar">
      <div className="health-bar" role="img" aria-label={summary}>
        <span className="health-bar-ok" style={{ width: `${(100 * day.succeeded) / day.attempts}%` }} />
        <span className="health-bar-failed" style={{ width: `${(100 * day.failed) / day.attempts}%` }} />
      </div>
      {formatRate(day.successRate)} of {day.attempts} · p95 {formatMs(day.responseTimeMs.p95)}
      {circuit && <div className="warn-text">{circuit}</div>}
    </div>
  );
}
