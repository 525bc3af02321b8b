import { useCallback, useEffect, useRef, useState } from 'react';
import { ATTEMPT_OUTCOMES } from '@harmony/contracts/api';
import type { Delivery } from '../api/api.types';
import { useApp } from '../app-context';
import { useLiveRefresh } from '../live/use-live';
import { EventTypeSelect } from './event-type-select';
import { formatTime } from '../format';
import { href } from '../router';
import { OutcomeBadge } from './outcome-badge';

/** Polling only while the live stream is down. */
const FALLBACK_REFRESH_MS = 3000;
const PAGE_SIZE = 25;

/** One attempt per row, newest first; filters by outcome and event type; open one to see request and response. */
export function DeliveryLog({ webhookId, enabled }: { webhookId: string; enabled: boolean }) {
  const { api, announce } = useApp();
  const [eventIdInput, setEventIdInput] = useState('');
  const [eventId, setEventId] = useState('');
  const [outcome, setOutcome] = useState('');
  const [eventType, setEventType] = useState('');
  const [rows, setRows] = useState<Delivery[] | null>(null);
  const [older, setOlder] = useState<Delivery[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  /** Once older pages are shown, the cursor is theirs, not the refreshed first page's. */
  const pagedOlder = useRef(false);

  // The first page refreshes on its own; older pages are appended on request.
  const loadFirst = useCallback(async (): Promise<void> => {
    try {
      const page = await api.deliveries(webhookId, { eventId, outcome, eventType, limit: PAGE_SIZE });
      setRows(page.data);
      if (!pagedOlder.current) setCursor(page.nextCursor);
      setError(null);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }, [api, webhookId, eventId, outcome, eventType]);

  useEffect(() => {
    pagedOlder.current = false;
    setOlder([]);
    setCursor(null);
    setRows(null);
    void loadFirst();
  }, [loadFirst]);
  useLiveRefresh(() => void loadFirst(), (notice) => notice.kind === 'delivery' && notice.webhookId === webhookId, FALLBACK_REFRESH_MS);

  const loadOlder = async (): Promise<void> => {
    if (!cursor) return;
    const page = await api.deliveries(webhookId, { eventId, outcome, eventType, limit: PAGE_SIZE, cursor });
    pagedOlder.current = true;
    setOlder((existing) => [...existing, ...page.data]);
    setCursor(page.nextCursor);
  };

  const all = dedupe([...(rows ?? []), ...older]);
  const open = all.find((row) => row.id === openId) ?? null;

  return (
    <section className="card" aria-labelledby="log-title">
      <div className="section-head">
        <h2 id="log-title">Delivery log</h2>
        <div className="filters" role="group" aria-label="Filter the delivery log">
          <form
            role="search"
            aria-label="Find an event"
            onSubmit={(submitted) => {
              submitted.preventDefault();
              setEventId(eventIdInput.trim());
            }}
          >
            <label>
              Event id{' '}
              <input type="text" value={eventIdInput} placeholder="evt_…" spellCheck={false} onChange={(input) => setEventIdInput(input.target.value)} />
            </label>{' '}
            <button type="submit" className="button small">
              Find
            </button>
            {eventId && (
              <button
                type="button"
                className="button small"
                onClick={() => {
                  setEventIdInput('');
                  setEventId('');
                }}
              >
                Clear
              </button>
            )}
          </form>
          <label>
            Outcome{' '}
            <select value={outcome} onChange={(input) => setOutcome(input.target.value)}>
              <option value="">All outcomes</option>
              {ATTEMPT_OUTCOMES.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <EventTypeSelect value={eventType} onChange={setEventType} anyLabel="All event types" />
        </div>
      </div>
      {error && (
        <p role="alert" className="alert">
          {error}
        </p>
      )}
      {rows === null && !error && <p>Loading…</p>}
      {rows?.length === 0 && older.length === 0 && (
        <p className="muted" data-testid="empty-log">
          No deliveries {eventId || outcome || eventType ? 'match these filters' : 'yet'}. New attempts appear here within seconds.
        </p>
      )}
      {all.length > 0 && (
        <table className="table delivery-table" aria-describedby="log-title">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Event</th>
              <th scope="col">Attempt</th>
              <th scope="col">Outcome</th>
              <th scope="col">Duration</th>
              <th scope="col">
                <span className="visually-hidden">Details</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {all.map((row) => (
              <tr key={row.id} className={row.id === openId ? 'selected' : undefined}>
                <td data-label="Time">
                  <time dateTime={row.finishedAt}>{formatTime(row.finishedAt)}</time>
                </td>
                <td data-label="Event">
                  <code>{row.eventType}</code>
                </td>
                <td data-label="Attempt">
                  {row.attempt}
                  {row.trigger !== 'event' && <span className="badge">{row.trigger}</span>}
                </td>
                <td data-label="Outcome">
                  <OutcomeBadge outcome={row.outcome} status={row.httpStatus} errorCode={row.error?.code} />
                </td>
                <td data-label="Duration">{row.durationMs === null ? '—' : `${row.durationMs} ms`}</td>
                <td>
                  <button
                    type="button"
                    className="button small"
                    aria-expanded={row.id === openId}
                    aria-controls="delivery-detail"
                    onClick={() => setOpenId(row.id === openId ? null : row.id)}
                  >
                    {row.id === openId ? 'Close' : 'View'}
                    <span className="visually-hidden"> attempt {row.attempt} of {row.eventType} at {formatTime(row.finishedAt)}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && (
        <button type="button" className="button" onClick={() => void loadOlder()}>
          Load older
        </button>
      )}
      {open && <DeliveryDetail delivery={open} webhookId={webhookId} enabled={enabled} onRedelivered={(message) => announce(message)} />}
    </section>
  );
}

function DeliveryDetail({ delivery, webhookId, enabled, onRedelivered }: { delivery: Delivery; webhookId: string; enabled: boolean; onRedelivered(message: string): void }) {
  const { api } = useApp();
  const [state, setState] = useState<string | null>(null);
  const region = useRef<HTMLDivElement>(null);
  // Opening an attempt takes the focus (and the view) to it; the log's refreshes do not.
  useEffect(() => {
    region.current?.focus();
  }, [delivery.id]);
  const redeliver = async (): Promise<void> => {
    setState('Queuing…');
    try {
      const queued = await api.redeliver(webhookId, delivery.id);
      const message = `Redelivery of ${queued.eventId} queued: it appears in the log as a new attempt 1.`;
      setState(message);
      onRedelivered(message);
    } catch (failure) {
      setState(`Not queued: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
  };
  const headers = Object.entries(delivery.requestHeaders);
  const responseHeaders = Object.entries(delivery.responseHeaders ?? {});
  return (
    <div id="delivery-detail" ref={region} className="delivery-detail" role="region" aria-label={`Attempt ${delivery.attempt} of ${delivery.eventType}`} tabIndex={-1}>
      <div className="section-head">
        <h3>
          <code>{delivery.eventType}</code> · attempt {delivery.attempt}
        </h3>
        <button type="button" className="button" onClick={() => void redeliver()} disabled={!enabled} title={enabled ? undefined : 'Enable the webhook to redeliver'}>
          Redeliver
        </button>
      </div>
      {state && <p role="status">{state}</p>}
      <dl className="facts">
        <dt>Event id</dt>
        <dd>
          <code>{delivery.eventId}</code> · <a href={href({ page: 'event', id: delivery.eventId })}>All deliveries of this event</a>
        </dd>
        <dt>Outcome</dt>
        <dd>
          <OutcomeBadge outcome={delivery.outcome} status={delivery.httpStatus} />
          {delivery.error && ` ${delivery.error.code}: ${delivery.error.message}`}
        </dd>
        {delivery.requestedBy && (
          <>
            <dt>{delivery.trigger === 'test' ? 'Test sent by' : 'Sent again by'}</dt>
            <dd data-testid="requested-by">
              API key “{delivery.requestedBy.apiKeyName}” <span className="muted small">({delivery.requestedBy.apiKeyId})</span>
            </dd>
          </>
        )}
        <dt>Sent</dt>
        <dd>
          {formatTime(delivery.startedAt)} → {delivery.durationMs === null ? '—' : `${delivery.durationMs} ms`}
        </dd>
        <dt>URL</dt>
        <dd>
          <code>POST {delivery.url}</code>
        </dd>
        {delivery.nextAttemptAt && (
          <>
            <dt>Next attempt</dt>
            <dd>{formatTime(delivery.nextAttemptAt)}</dd>
          </>
        )}
      </dl>
      <h4>Request headers</h4>
      {headers.length > 0 ? (
        <pre className="code-block" data-testid="request-headers">
          {headers.map(([name, value]) => `${name}: ${value}`).join('\n')}
        </pre>
      ) : (
        <p className="muted">None recorded.</p>
      )}
      <h4>Request body</h4>
      {delivery.requestBody ? (
        <pre className="code-block" data-testid="request-body">
          {prettyJson(delivery.requestBody)}
        </pre>
      ) : delivery.requestBodyWithheld ? (
        <p className="muted" data-testid="request-body-withheld">
          Not shown: {delivery.requestBodyWithheld.replace(/^withheld: /, '')}.
        </p>
      ) : (
        <p className="muted">
          No longer kept (past the log's retention). It was the event <code>{delivery.eventId}</code> as JSON:{' '}
          <code>{'{ id, type, timestamp, workspace_id, data }'}</code>.
        </p>
      )}
      <h4>Response{delivery.httpStatus !== null ? ` (HTTP ${delivery.httpStatus})` : ''}</h4>
      {responseHeaders.length > 0 && (
        <pre className="code-block" data-testid="response-headers">
          {responseHeaders.map(([name, value]) => `${name}: ${value}`).join('\n')}
        </pre>
      )}
      {delivery.responseBody ? (
        <pre className="code-block" data-testid="response-body">
          {delivery.responseBody}
          {delivery.responseBodyTruncated ? '\n… (truncated at 16 KiB)' : ''}
        </pre>
      ) : (
        <p className="muted">{delivery.httpStatus === null ? 'No response.' : 'Empty body.'}</p>
      )}
    </div>
  );
}

function dedupe(rows: Delivery[]): Delivery[] {
  const seen = new Set<string>();
  return rows.filter((row) => (seen.has(row.id) ? false : (seen.add(row.id), true)));
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
