import { useEffect, useState } from 'react';
import type { Secret } from '../api/api.types';
import { useApp } from '../app-context';
import { formatTime } from '../format';
import { ConfirmDialog } from './confirm-dialog';

/** The signing secret: hidden until revealed, copy, rotate (the previous one keeps signing for 24 h). */
export function SecretPanel({ webhookId }: { webhookId: string }) {
  const { api, announce } = useApp();
  const [secrets, setSecrets] = useState<Secret[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [revealed, setRevealed] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [rotating, setRotating] = useState(false);

  useEffect(() => {
    api.secrets(webhookId).then(setSecrets, (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)));
  }, [api, webhookId]);

  const current = secrets?.find((secret) => secret.expiresAt === null) ?? secrets?.[0];
  const previous = secrets?.filter((secret) => secret !== current) ?? [];

  const copy = async (): Promise<void> => {
    if (!current) return;
    try {
      await navigator.clipboard.writeText(current.secret);
      announce('Signing secret copied to the clipboard');
    } catch {
      setRevealed(true);
      announce('Copy is not available here: the secret is shown, select it to copy');
    }
  };

  const rotate = async (): Promise<void> => {
    setRotating(true);
    try {
      setSecrets(await api.rotateSecret(webhookId));
      setRevealed(true);
      announce('New signing secret created; the previous one keeps signing for 24 hours');
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setRotating(false);
      setConfirming(false);
    }
  };

  return (
    <section className="card" aria-labelledby="secret-title">
      <h2 id="secret-title">Signing secret</h2>
      <p className="muted">
        Every request carries <code>webhook-signature</code>, an HMAC-SHA256 made with this secret (Standard Webhooks). Verify it before trusting a request.
      </p>
      {error && (
        <p role="alert" className="alert">
          {error}
        </p>
      )}
      {current && (
        <>
          <div className="secret-row">
            <code className="secret" data-testid="signing-secret" aria-label={revealed ? 'Signing secret' : 'Signing secret (hidden)'}>
              {revealed ? current.secret : `whsec_${'•'.repeat(24)}`}
            </code>
            <button type="button" className="button" aria-pressed={revealed} onClick={() => setRevealed(!revealed)}>
              {revealed ? 'Hide' : 'Reveal'}
            </button>
            <button type="button" className="button" onClick={() => void copy()}>
              Copy
            </button>
            <button type="button" className="button" onClick={() => setConfirming(true)}>
              Rotate…
            </button>
          </div>
          <p className="muted small">Created {formatTime(current.createdAt)}</p>
          {previous.map((secret) => (
            <p key={secret.id} className="muted small">
              The previous secret {revealed ? <code>{secret.secret}</code> : ''} still signs until {formatTime(secret.expiresAt)}.
            </p>
          ))}
        </>
      )}
      <ConfirmDialog
        open={confirming}
        title="Rotate the signing secret?"
        confirmLabel="Rotate secret"
        busy={rotating}
        onConfirm={() => void rotate()}
        onCancel={() => setConfirming(false)}
      >
        <p>A new secret signs from now on. The current one keeps signing too (both signatures are sent) for 24 hours, so you can update your receiver without missing a request.</p>
      </ConfirmDialog>
    </section>
  );
}
