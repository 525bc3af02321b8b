import { useCallback, useEffect, useRef, useState } from 'react';
import type { Webhook } from '../api/api.types';
import { useApp } from '../app-context';
import { useLiveRefresh } from '../live/use-live';
import { EventTypeSelect } from '../components/event-type-select';
import { HealthBar } from '../components/health-bar';
import { OperationalEndpointCard } from '../components/operational-endpoint-card';
import { OutcomeBadge } from '../components/outcome-badge';
import { Switch } from '../components/switch';
import { eventsSummary, formatAgo } from '../format';
import { href } from '../router';

/** Polling only while the live stream is down. */
const FALLBACK_REFRESH_MS = 5000;
const WEBHOOK_PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 250;

/**
 * The Webhook Subscriptions list: name, URL, events, enabled switch, last delivery.
 * One page of 50 at a time (Load more appends the next), filtered on the server, so a
 * workspace with thousands of webhooks renders what is shown, not everything.
 */
export function WebhookListPage() {
  const { api, categories, announce } = useApp();
  const [first, setFirst] = useState<Webhook[] | null>(null);
  const [more, setMore] = useState<Webhook[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [searchInput, setSearchInput] = useState('');
  const [search, setSearch] = useState('');
  const [enabled, setEnabled] = useState<'' | 'true' | 'false'>('');
  const [eventType, setEventType] = useState('');
  const pagedMore = useRef(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const total = categories.reduce((sum, category) => sum + category.events.length, 0);
  const filtered = search !== '' || enabled !== '' || eventType !== '';

  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    const timer = setTimeout(() => setSearch(searchInput.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [searchInput]);

  // The first page refreshes; pages loaded with "Load more" stay as they are until the filters change.
  const loadFirst = useCallback(async (): Promise<boolean> => {
    try {
      const page = await api.listWebhooks({ search, enabled, eventType, limit: WEBHOOK_PAGE_SIZE });
      setFirst(page.data);
      if (!pagedMore.current) setCursor(page.nextCursor);
      setError(null);
      return true;
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      return false;
    }
  }, [api, search, enabled, eventType]);

  useEffect(() => {
    pagedMore.current = false;
    setMore([]);
    setFirst(null);
    void loadFirst();
  }, [loadFirst]);
  // Any webhook change or delivery may move the first page (a new webhook, a status, the last delivery).
  useLiveRefresh(() => void loadFirst(), () => true, FALLBACK_REFRESH_MS);

  const loadMore = async (): Promise<void> => {
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    try {
      const page = await api.listWebhooks({ search, enabled, eventType, limit: WEBHOOK_PAGE_SIZE, cursor });
      pagedMore.current = true;
      setMore((existing) => [...existing, ...page.data]);
      setCursor(page.nextCursor);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setLoadingMore(false);
    }
  };

  const webhooks = first === null ? null : dedupe([...first, ...more]);
  const setWebhooks = (update: (list: Webhook[]) => Webhook[]): void => {
    setFirst((list) => (list ? update(list) : list));
    setMore(update);
  };

  const toggle = async (webhook: Webhook, enabled: boolean): Promise<void> => {
    try {
      const updated = enabled ? await api.enableWebhook(webhook.id) : await api.updateWebhook(webhook.id, { enabled: false });
      setWebhooks((list) => list.map((item) => (item.id === updated.id ? updated : item)));
      announce(`${updated.name} ${updated.enabled ? 'enabled' : 'disabled'}`);
    } catch (failure) {
      announce(`Could not change ${webhook.name}: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
  };

  return (
    <section aria-labelledby="list-title">
      <div className="page-head">
        <div>
          <h1 id="list-title" tabIndex={-1} ref={heading}>
            Webhook Subscriptions
          </h1>
          <p className="muted">Harmony sends a signed HTTP POST to each webhook whenever one of its events happens in this workspace.</p>
        </div>
        <a className="button primary" href={href({ page: 'create' })}>
          + Create Webhook
        </a>
      </div>
      {error && (
        <p role="alert" className="alert">
          {error}
        </p>
      )}
      <div className="filters list-filters" role="search" aria-label="Find webhooks">
        <label>
          Search{' '}
          <input type="text" value={searchInput} placeholder="Name or URL" onChange={(input) => setSearchInput(input.target.value)} />
        </label>
        <label>
          Status{' '}
          <select value={enabled} onChange={(input) => setEnabled(input.target.value as '' | 'true' | 'false')}>
            <option value="">Enabled and disabled</option>
            <option value="true">Enabled</option>
            <option value="false">Disabled</option>
          </select>
        </label>
        <EventTypeSelect value={eventType} onChange={setEventType} anyLabel="Any event type" />
      </div>
      {webhooks === null && !error && <p>Loading…</p>}
      {webhooks?.length === 0 && filtered && (
        <p className="muted" data-testid="no-match">
          No webhooks match these filters.
        </p>
      )}
      {webhooks?.length === 0 && !filtered && (
        <div className="empty">
          <p>No webhooks yet.</p>
          <p className="muted">Create one to receive contact, account, conversation, project and user events at your own URL.</p>
        </div>
      )}
      {webhooks && webhooks.length > 0 && (
        <table className="table webhook-table">
          <caption className="visually-hidden">Webhooks of this workspace</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">URL</th>
              <th scope="col">Events</th>
              <th scope="col">Owner</th>
              <th scope="col">Enabled</th>
              <th scope="col">Last delivery</th>
              <th scope="col">Health (24 h)</th>
            </tr>
          </thead>
          <tbody>
            {webhooks.map((webhook) => {
              const last = webhook.lastDelivery;
              return (
                <tr key={webhook.id}>
                  <th scope="row" data-label="Name">
                    <a href={href({ page: 'detail', id: webhook.id })}>{webhook.name}</a>
                    {webhook.operational && <span className="badge badge-admin">Operational</span>}
                    {webhook.description && <div className="muted small">{webhook.description}</div>}
                  </th>
                  <td data-label="URL" className="url-cell">
                    <code>{webhook.url}</code>
                  </td>
                  <td data-label="Events">{eventsSummary(webhook.events, total, webhook.operational)}</td>
                  <td data-label="Owner">{webhook.owner.displayName}</td>
                  <td data-label="Enabled">
                    <Switch checked={webhook.enabled} label={`${webhook.name} enabled`} onChange={(on) => void toggle(webhook, on)} />
                    {!webhook.enabled && webhook.disabledReason && <div className="muted small">{webhook.disabledReason}</div>}
                    {webhook.urlProblem && <div className="url-problem small">URL not allowed: {webhook.urlProblem}</div>}
                  </td>
                  <td data-label="Last delivery">
                    {last ? (
                      <>
                        <OutcomeBadge outcome={last.outcome} status={last.httpStatus} errorCode={last.errorCode} />
                        <div className="muted small">
                          <time dateTime={last.finishedAt}>{formatAgo(last.finishedAt)}</time>
                        </div>
                      </>
                    ) : (
                      <span className="muted">No deliveries yet</span>
                    )}
                    {webhook.health.failingSince && <div className="small warn-text">Failing since {formatAgo(webhook.health.failingSince)}</div>}
                  </td>
                  <td data-label="Health (24 h)">
                    <HealthBar health={webhook.endpointHealth} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {webhooks && webhooks.length > 0 && (
        <p className="muted small" aria-live="polite">
          Showing {webhooks.length} webhook{webhooks.length === 1 ? '' : 's'}
          {cursor ? '' : filtered ? ' (all that match)' : ' (all)'}
        </p>
      )}
      {cursor && (
        <button type="button" className="button" disabled={loadingMore} onClick={() => void loadMore()}>
          {loadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
      <OperationalEndpointCard />
    </section>
  );
}

/** A webhook that moved from a later page into the refreshed first one is shown once. */
function dedupe(webhooks: Webhook[]): Webhook[] {
  const seen = new Set<string>();
  return webhooks.filter((webhook) => !seen.has(webhook.id) && seen.add(webhook.id));
}
