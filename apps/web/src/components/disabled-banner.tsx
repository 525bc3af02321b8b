import { useState } from 'react';
import type { Webhook } from '../api/api.types';
import { useApp } from '../app-context';
import { formatTime, toLocalInput } from '../format';

const USER_DISABLED = 'Disabled by a user.';

/** Shown while a webhook is disabled: why, since when, and re-enable (optionally re-sending what failed since a time). */
export function DisabledBanner({ webhook, onChanged }: { webhook: Webhook; onChanged(webhook: Webhook): void }) {
  const { api, announce } = useApp();
  const automatic = webhook.disabledReason !== null && webhook.disabledReason !== USER_DISABLED;
  const defaultSince = webhook.health.failingSince ?? webhook.disabledAt ?? new Date().toISOString();
  const [since, setSince] = useState(() => toLocalInput(defaultSince));
  const [recover, setRecover] = useState(automatic);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const enable = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const updated = await api.enableWebhook(webhook.id);
      let message = `${updated.name} enabled.`;
      if (recover) {
        const queued = await api.recover(webhook.id, new Date(since).toISOString());
        message += ` ${queued.queued} failed event${queued.queued === 1 ? '' : 's'} queued again${queued.truncated ? ' (the first 10,000; run recover again for the rest)' : ''}.`;
      }
      announce(message);
      onChanged(updated);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={`banner ${automatic ? 'banner-danger' : 'banner-info'}`} role="region" aria-labelledby="disabled-title">
      <h2 id="disabled-title">{automatic ? 'This webhook was disabled automatically' : 'This webhook is disabled'}</h2>
      <p>
        {webhook.disabledReason ?? 'Disabled.'} {webhook.disabledAt && <>Since {formatTime(webhook.disabledAt)}.</>} No events are sent while it is disabled.
      </p>
      {error && (
        <p role="alert" className="alert">
          {error}
        </p>
      )}
      <div className="banner-actions">
        <label className="checkbox-strong">
          <input type="checkbox" checked={recover} onChange={(input) => setRecover(input.target.checked)} />
          Also re-send failed deliveries since
        </label>
        <label className="visually-hidden" htmlFor="recover-since">
          Recover failed deliveries since
        </label>
        <input id="recover-since" type="datetime-local" value={since} disabled={!recover} onChange={(input) => setSince(input.target.value)} />
        <button type="button" className="button primary" onClick={() => void enable()} disabled={busy || (recover && since === '')}>
          {busy ? 'Enabling…' : recover ? 'Re-enable and recover' : 'Re-enable'}
        </button>
      </div>
    </div>
  );
}
