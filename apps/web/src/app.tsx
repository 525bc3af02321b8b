import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiClient } from './api/api-client';
import type { EventCategory } from './api/api.types';
import { AppContext } from './app-context';
import { LiveIndicator } from './live/live-indicator';
import { LiveStream } from './live/live-stream';
import { EventDeliveriesPage } from './pages/event-deliveries.page';
import { SignInPage } from './pages/sign-in.page';
import { WebhookDetailPage } from './pages/webhook-detail.page';
import { WebhookFormPage } from './pages/webhook-form.page';
import { WebhookListPage } from './pages/webhook-list.page';
import { href, useRoute } from './router';
import { storeApiKey, storedApiKey } from './session/session';

const PAGE_TITLES = { list: 'Webhook Subscriptions', create: 'Create Webhook', operational: 'Operational notifications', detail: 'Webhook', edit: 'Edit webhook', event: 'Event deliveries' } as const;

/** How long a status message stays on screen (screen readers got it when it appeared). */
const STATUS_MS = 6000;

export function App() {
  const [apiKey, setApiKey] = useState<string | null>(storedApiKey);
  const [notice, setNotice] = useState<string | null>(null);
  const signOut = useCallback((reason: string | null) => {
    storeApiKey(null);
    setApiKey(null);
    setNotice(reason);
  }, []);

  if (!apiKey) {
    return (
      <SignInPage
        notice={notice}
        onSignedIn={(key) => {
          storeApiKey(key);
          setNotice(null);
          setApiKey(key);
        }}
      />
    );
  }
  return <SignedIn apiKey={apiKey} onSignOut={signOut} />;
}

function SignedIn({ apiKey, onSignOut }: { apiKey: string; onSignOut(reason: string | null): void }) {
  const route = useRoute();
  const api = useMemo(() => new ApiClient(apiKey, () => onSignOut('The API key was not accepted any more (revoked?). Sign in again.')), [apiKey, onSignOut]);
  const live = useMemo(() => new LiveStream(apiKey, () => onSignOut('The API key was not accepted any more (revoked?). Sign in again.')), [apiKey, onSignOut]);
  const [categories, setCategories] = useState<EventCategory[]>([]);
  const [status, setStatus] = useState('');

  useEffect(() => {
    live.start();
    return () => live.stop();
  }, [live]);

  useEffect(() => {
    api.eventCategories().then(setCategories, () => setStatus('Could not load the event catalog.'));
  }, [api]);

  useEffect(() => {
    document.title = `${PAGE_TITLES[route.page]} · Webhooks · Harmony`;
  }, [route.page]);

  useEffect(() => {
    if (!status) return;
    const timer = setTimeout(() => setStatus(''), STATUS_MS);
    return () => clearTimeout(timer);
  }, [status]);

  const context = useMemo(
    () => ({
      api,
      categories: categories.filter((category) => !category.operational),
      operationalCategory: categories.find((category) => category.operational) ?? null,
      announce: setStatus,
      live,
    }),
    [api, categories, live],
  );

  return (
    <AppContext.Provider value={context}>
      <a className="skip-link" href="#main" onClick={(event) => { event.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <header className="top-bar">
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <ol>
            <li>Workspace settings</li>
            <li>Connections</li>
            <li>
              <a href={href({ page: 'list' })} aria-current={route.page === 'list' ? 'page' : undefined}>
                Webhooks
              </a>
            </li>
          </ol>
        </nav>
        <div className="top-actions">
          <LiveIndicator />
          <a href="/docs" target="_blank" rel="noreferrer">
            API docs
          </a>
          <button type="button" className="button small" onClick={() => onSignOut(null)}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="content">
        {route.page === 'list' && <WebhookListPage />}
        {route.page === 'create' && <WebhookFormPage key="create" />}
        {route.page === 'operational' && <WebhookFormPage key="operational" operational />}
        {route.page === 'edit' && <WebhookFormPage key={`edit-${route.id}`} id={route.id} />}
        {route.page === 'detail' && <WebhookDetailPage key={route.id} id={route.id} />}
        {route.page === 'event' && <EventDeliveriesPage key={route.id} eventId={route.id} />}
      </main>
      <div className="status-bar" role="status" aria-live="polite">
        {status}
      </div>
    </AppContext.Provider>
  );
}
