import { useEffect, useState } from 'react';
import type { Webhook } from '../api/api.types';
import { useApp } from '../app-context';
import { href } from '../router';

/** "Operational notifications": the workspace's operational endpoint, or how to register one. */
export function OperationalEndpointCard() {
  const { api } = useApp();
  const [endpoint, setEndpoint] = useState<Webhook | null | undefined>(undefined);

  useEffect(() => {
    api.listWebhooks({ operational: 'true', limit: 1 }).then(
      (page) => setEndpoint(page.data[0] ?? null),
      () => setEndpoint(undefined),
    );
  }, [api]);

  if (endpoint === undefined) return null;
  return (
    <section className="card" aria-labelledby="operational-title" data-testid="operational-endpoint">
      <h2 id="operational-title">Operational notifications</h2>
      <p className="muted">
        Signed, retried events about these webhooks — one stopped delivering (410 Gone, five days failing, its owner lost access, its URL is no longer
        allowed), an event gave up after its last attempt, a webhook works again — sent to one endpoint of yours.
      </p>
      {endpoint ? (
        <p>
          Sent to <a href={href({ page: 'detail', id: endpoint.id })}>{endpoint.name}</a> <code>{endpoint.url}</code>
          {!endpoint.enabled && <span className="warn-text"> (disabled: nothing is sent)</span>}
        </p>
      ) : (
        <a className="button" href={href({ page: 'operational' })}>
          Register operational endpoint
        </a>
      )}
    </section>
  );
}
