import { useEffect, useRef, useState } from 'react';
import type { Webhook } from '../api/api.types';
import { useApp } from '../app-context';
import { OutcomeBadge } from '../components/outcome-badge';
import { Switch } from '../components/switch';
import { eventsSummary, formatAgo } from '../format';
import { href } from '../router';

const REFRESH_MS = 5000;

/** The Webhook Subscriptions list: name, URL, events, enabled switch, last delivery. */
export function WebhookListPage() {
  const { api, categories, announce } = useApp();
  const [webhooks, setWebhooks] = useState<Webhook[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const total = categories.reduce((sum, category) => sum + category.events.length, 0);

  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    let stopped = false;
    const load = async (): Promise<void> => {
      try {
        const list = await api.listWebhooks();
        if (stopped) return;
        setWebhooks(list);
        setError(null);
      } catch (failure) {
        if (!stopped) setError(failure instanceof Error ? failure.message : String(failure));
      }
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [api]);

  const toggle = async (webhook: Webhook, enabled: boolean): Promise<void> => {
    try {
      const updated = enabled ? await api.enableWebhook(webhook.id) : await api.updateWebhook(webhook.id, { enabled: false });
      setWebhooks((list) => list?.map((item) => (item.id === updated.id ? updated : item)) ?? null);
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
      {webhooks === null && !error && <p>Loading…</p>}
      {webhooks?.length === 0 && (
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
              <th scope="col">Enabled</th>
              <th scope="col">Last delivery</th>
            </tr>
          </thead>
          <tbody>
            {webhooks.map((webhook) => {
              const last = webhook.lastDelivery;
              return (
                <tr key={webhook.id}>
                  <th scope="row" data-label="Name">
                    <a href={href({ page: 'detail', id: webhook.id })}>{webhook.name}</a>
                    {webhook.description && <div className="muted small">{webhook.description}</div>}
                  </th>
                  <td data-label="URL" className="url-cell">
                    <code>{webhook.url}</code>
                  </td>
                  <td data-label="Events">{eventsSummary(webhook.events, total)}</td>
                  <td data-label="Enabled">
                    <Switch checked={webhook.enabled} label={`${webhook.name} enabled`} onChange={(on) => void toggle(webhook, on)} />
                    {!webhook.enabled && webhook.disabledReason && <div className="muted small">{webhook.disabledReason}</div>}
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
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
