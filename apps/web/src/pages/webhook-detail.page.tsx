import { useEffect, useRef, useState } from 'react';
import type { Webhook } from '../api/api.types';
import { useApp } from '../app-context';
import { ConfirmDialog } from '../components/confirm-dialog';
import { DeliveryLog } from '../components/delivery-log';
import { DisabledBanner } from '../components/disabled-banner';
import { HealthPanel } from '../components/health-panel';
import { SecretPanel } from '../components/secret-panel';
import { Switch } from '../components/switch';
import { WebhookTest } from '../components/webhook-test';
import { eventsSummary, formatTime } from '../format';
import { useLiveRefresh } from '../live/use-live';
import { href, navigate } from '../router';

/** Polling only while the live stream is down. */
const FALLBACK_REFRESH_MS = 5000;

/** One webhook: settings, enable switch, delete, signing secret, delivery log. */
export function WebhookDetailPage({ id }: { id: string }) {
  const { api, categories, announce } = useApp();
  const [webhook, setWebhook] = useState<Webhook | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const total = categories.reduce((sum, category) => sum + category.events.length, 0);

  const load = (): void => {
    api.getWebhook(id).then(setWebhook, (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)));
  };
  useEffect(load, [api, id]);
  // Health and automatic disabling change with its deliveries (each batch updates the webhook's row): keep them current.
  useLiveRefresh(load, (notice) => notice.kind === 'webhook' && notice.webhookId === id, FALLBACK_REFRESH_MS);
  useEffect(() => {
    if (webhook) heading.current?.focus();
    // Focus the heading once, when the webhook first shows.
  }, [webhook?.id]);

  if (error) {
    return (
      <>
        <p role="alert" className="alert">
          {error}
        </p>
        <a href={href({ page: 'list' })}>← All webhooks</a>
      </>
    );
  }
  if (!webhook) return <p>Loading…</p>;

  const toggle = async (enabled: boolean): Promise<void> => {
    try {
      const updated = enabled ? await api.enableWebhook(webhook.id) : await api.updateWebhook(webhook.id, { enabled: false });
      setWebhook(updated);
      announce(`${updated.name} ${updated.enabled ? 'enabled' : 'disabled'}`);
    } catch (failure) {
      announce(`Could not change ${webhook.name}: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
  };

  const remove = async (): Promise<void> => {
    setDeleting(true);
    try {
      await api.deleteWebhook(webhook.id);
      announce(`Deleted ${webhook.name}`);
      navigate({ page: 'list' });
    } catch (failure) {
      setDeleting(false);
      setConfirmDelete(false);
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  const eventTypes = webhook.events === '*' ? null : webhook.events;
  return (
    <section aria-labelledby="detail-title">
      <p>
        <a href={href({ page: 'list' })}>← All webhooks</a>
      </p>
      <div className="page-head">
        <div>
          <h1 id="detail-title" tabIndex={-1} ref={heading}>
            {webhook.name}
          </h1>
          {webhook.description && <p className="muted">{webhook.description}</p>}
        </div>
        <div className="actions">
          <Switch checked={webhook.enabled} label={`${webhook.name} enabled`} onChange={(on) => void toggle(on)} />
          <a className="button" href={href({ page: 'edit', id: webhook.id })}>
            Edit
          </a>
          <button type="button" className="button danger" onClick={() => setConfirmDelete(true)}>
            Delete…
          </button>
        </div>
      </div>
      {!webhook.enabled && <DisabledBanner webhook={webhook} onChanged={setWebhook} />}
      {webhook.enabled && webhook.health.failingSince && webhook.health.disablesAt && (
        <div className="banner banner-warning" role="region" aria-labelledby="failing-title" data-testid="failing-banner">
          <h2 id="failing-title">This webhook is failing</h2>
          <p>
            Every delivery has failed since {formatTime(webhook.health.failingSince)}. Unless one succeeds first, it will be disabled on{' '}
            {formatTime(webhook.health.disablesAt)}.
          </p>
        </div>
      )}
      {webhook.urlProblem && (
        <div className="banner banner-danger" role="region" aria-labelledby="url-problem-title" data-testid="url-problem">
          <h2 id="url-problem-title">This webhook's URL is no longer allowed</h2>
          <p>
            {webhook.urlProblem}. Deliveries to it fail and are retried on the usual schedule, nothing is dropped, until the URL is
            changed (<a href={href({ page: 'edit', id: webhook.id })}>Edit</a>).
          </p>
        </div>
      )}
      {(webhook.warnings ?? []).length > 0 && (
        <div className="banner banner-info" role="note" data-testid="webhook-warnings">
          {(webhook.warnings ?? []).map((warning) => (
            <p key={warning.field + warning.reason}>{warning.reason}.</p>
          ))}
        </div>
      )}
      <section className="card" aria-labelledby="settings-title">
        <h2 id="settings-title" className="visually-hidden">
          Settings
        </h2>
        <dl className="facts">
          <dt>Webhook URL</dt>
          <dd>
            <code className="break">{webhook.url}</code>
          </dd>
          <dt>Events</dt>
          <dd>
            {eventsSummary(webhook.events, total, webhook.operational)}
            {eventTypes && (
              <details>
                <summary>Show event types</summary>
                <ul className="inline-list">
                  {eventTypes.map((type) => (
                    <li key={type}>
                      <code>{type}</code>
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </dd>
          <dt>Last attempt</dt>
          <dd>
            {formatTime(webhook.health.lastAttemptAt)}
            {webhook.health.failingSince && <span className="warn-text"> · failing since {formatTime(webhook.health.failingSince)}</span>}
          </dd>
          <dt>Owner</dt>
          <dd>
            {webhook.owner.displayName} <span className="muted small">({webhook.owner.role})</span>
          </dd>
          <dt>Created</dt>
          <dd>{formatTime(webhook.createdAt)}</dd>
        </dl>
      </section>
      <HealthPanel webhookId={webhook.id} />
      <WebhookTest webhook={webhook} />
      <SecretPanel webhookId={webhook.id} />
      <DeliveryLog webhookId={webhook.id} enabled={webhook.enabled} />
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete ${webhook.name}?`}
        confirmLabel="Delete webhook"
        danger
        busy={deleting}
        onConfirm={() => void remove()}
        onCancel={() => setConfirmDelete(false)}
      >
        <p>
          Deliveries to <code className="break">{webhook.url}</code> stop at once, including retries that are waiting. This cannot be undone; to pause it instead, use
          the switch.
        </p>
      </ConfirmDialog>
    </section>
  );
}
