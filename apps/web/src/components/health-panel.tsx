import { useEffect, useState } from 'react';
import type { EndpointHealth, HealthWindow } from '../api/api.types';
import { useApp } from '../app-context';
import { formatAgo, formatMs, formatRate } from '../format';
import { OutcomeBadge } from './outcome-badge';

const REFRESH_MS = 5000;

const BREAKER: Record<string, string> = {
  closed: 'Closed: deliveries go out as they come',
  open: 'Open: new deliveries are held back and retried later, nothing is lost',
  'half-open': 'Half-open: one trial delivery decides whether it closes',
};

const ROWS: { label: string; value: (window: HealthWindow) => string }[] = [
  { label: 'Success rate', value: (window) => formatRate(window.successRate) },
  { label: 'Attempts', value: (window) => `${window.attempts} (${window.failed} failed)` },
  { label: 'Held back (circuit open)', value: (window) => String(window.deferred) },
  { label: 'Response time p50', value: (window) => formatMs(window.responseTimeMs.p50) },
  { label: 'Response time p95', value: (window) => formatMs(window.responseTimeMs.p95) },
];

/** A webhook's endpoint health over 24 h and 7 days, its circuit breaker and last error (GET /v1/webhooks/{id}/health). */
export function HealthPanel({ webhookId }: { webhookId: string }) {
  const { api } = useApp();
  const [health, setHealth] = useState<EndpointHealth | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const load = (): void => {
      api.webhookHealth(webhookId).then(
        (answer) => {
          setHealth(answer);
          setError(null);
        },
        (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
      );
    };
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [api, webhookId]);

  const lastError = health?.lastError;
  return (
    <section className="card" aria-labelledby="health-title">
      <h2 id="health-title">Endpoint health</h2>
      {error && (
        <p role="alert" className="alert">
          {error}
        </p>
      )}
      {!health && !error && <p>Loading…</p>}
      {health && (
        <>
          <table className="table health-table">
            <caption className="visually-hidden">Attempts, success rate and response times of the last 24 hours and 7 days</caption>
            <thead>
              <tr>
                <td />
                <th scope="col">Last 24 hours</th>
                <th scope="col">Last 7 days</th>
              </tr>
            </thead>
            <tbody>
              {ROWS.map((row) => (
                <tr key={row.label}>
                  <th scope="row">{row.label}</th>
                  <td data-label="Last 24 hours">{row.value(health.last24h)}</td>
                  <td data-label="Last 7 days">{row.value(health.last7d)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <dl className="facts">
            <dt>Circuit breaker</dt>
            <dd data-testid="breaker-state">
              {health.breaker.state ? BREAKER[health.breaker.state] : 'Not reported yet (no attempt since it is recorded)'}
              {health.breaker.asOf && <span className="muted small"> · as of its last attempt, {formatAgo(health.breaker.asOf)}</span>}
            </dd>
            <dt>Last error</dt>
            <dd data-testid="last-error">
              {lastError ? (
                <>
                  <OutcomeBadge outcome={lastError.outcome} status={lastError.httpStatus} errorCode={lastError.code} /> {lastError.message}{' '}
                  <span className="muted small">
                    · <time dateTime={lastError.at}>{formatAgo(lastError.at)}</time>
                  </span>
                </>
              ) : (
                'None recorded'
              )}
            </dd>
          </dl>
        </>
      )}
    </section>
  );
}
