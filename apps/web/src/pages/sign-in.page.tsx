import { type FormEvent, useState } from 'react';
import { ApiClient } from '../api/api-client';

/** Sign in with an API key (hwk_…): checked against the API, then kept in sessionStorage for this tab. */
export function SignInPage({ notice, onSignedIn }: { notice: string | null; onSignedIn(apiKey: string): void }) {
  const [apiKey, setApiKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const key = apiKey.trim();
    if (!key) {
      setError('Enter an API key.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await new ApiClient(key).listWebhooks({ limit: 1 });
      onSignedIn(key);
    } catch (failure) {
      setBusy(false);
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  return (
    <main className="sign-in" id="main">
      <h1>Harmony Webhooks</h1>
      <p className="muted">Sign in with an API key of your workspace.</p>
      {notice && <p className="banner banner-info">{notice}</p>}
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <div className="field">
          <label htmlFor="api-key">API key</label>
          <input
            id="api-key"
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder="hwk_…"
            value={apiKey}
            onChange={(input) => setApiKey(input.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={`api-key-hint${error ? ' api-key-error' : ''}`}
          />
          <p id="api-key-hint" className="hint">
            On a fresh <code>npm start</code> the admin key is printed once in the terminal. It is kept only in this tab (session storage).
          </p>
          {error && (
            <p id="api-key-error" className="field-error" role="alert">
              {error}
            </p>
          )}
        </div>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
