import { useEffect, useRef, useState } from 'react';
import type { Delivery } from '../api/api.types';
import { useApp } from '../app-context';
import { OutcomeBadge } from '../components/outcome-badge';
import { formatTime } from '../format';
import { href } from '../router';

const PAGE_SIZE = 50;

/** "Did we send it?": every attempt of one event, to every webhook of the workspace the key may see. */
export function EventDeliveriesPage({ eventId }: { eventId: string }) {
  const { api } = useApp();
  const [rows, setRows] = useState<Delivery[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    api.eventDeliveries(eventId, { limit: PAGE_SIZE }).then(
      (page) => {
        setRows(page.data);
        setCursor(page.nextCursor);
      },
      (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
    );
  }, [api, eventId]);

  // Webhook names for the rows (a deleted webhook shows its id).
  useEffect(() => {
    const missing = [...new Set((rows ?? []).map((row) => row.webhookId))].filter((id) => !names.has(id));
    if (missing.length === 0) return;
    void Promise.all(missing.map((id) => api.getWebhook(id).then((webhook) => [id, webhook.name] as const, () => [id, id] as const))).then((found) =>
      setNames((known) => new Map([...known, ...found])),
    );
  }, [api, rows, names]);

  const loadMore = async (): Promise<void> => {
    if (!cursor) return;
    const page = await api.eventDeliveries(eventId, { limit: PAGE_SIZE, cursor });
    setRows((existing) => [...(existing ?? []), ...page.data]);
    setCursor(page.nextCursor);
  };

  const webhooks = new Set((rows ?? []).map((row) => row.webhookId)).size;
  return (
    <section aria-labelledby="event-title">
      <div className="page-head">
        <div>
          <h1 id="event-title" tabIndex={-1} ref={heading}>
            Deliveries of <code>{eventId}</code>
          </h1>
          <p className="muted">Every attempt to send this event, to every webhook of the workspace you may see, newest first.</p>
        </div>
      </div>
      {error && (
        <p role="alert" className="alert">
          {error}
        </p>
      )}
      {rows === null && !error && <p>Loading…</p>}
      {rows?.length === 0 && (
        <p className="muted" data-testid="no-deliveries">
          This event was not sent to any of your webhooks (or its log is past retention).
        </p>
      )}
      {rows && rows.length > 0 && (
        <>
          <p className="muted small">
            {rows.length} attempt{rows.length === 1 ? '' : 's'} to {webhooks} webhook{webhooks === 1 ? '' : 's'}
            {cursor ? ' so far' : ''}
          </p>
          <table className="table delivery-table" aria-labelledby="event-title">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Webhook</th>
                <th scope="col">Attempt</th>
                <th scope="col">Outcome</th>
                <th scope="col">Duration</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <td data-label="Time">
                    <time dateTime={row.finishedAt}>{formatTime(row.finishedAt)}</time>
                  </td>
                  <td data-label="Webhook">
                    <a href={href({ page: 'detail', id: row.webhookId })}>{names.get(row.webhookId) ?? row.webhookId}</a>
                  </td>
                  <td data-label="Attempt">{row.attempt}</td>
                  <td data-label="Outcome">
                    <OutcomeBadge outcome={row.outcome} status={row.httpStatus} errorCode={row.error?.code} />
                  </td>
                  <td data-label="Duration">{row.durationMs === null ? '—' : `${row.durationMs} ms`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {cursor && (
        <button type="button" className="button" onClick={() => void loadMore()}>
          Load more
        </button>
      )}
    </section>
  );
}
