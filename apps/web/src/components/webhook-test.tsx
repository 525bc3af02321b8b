import { useState } from 'react';
import type { Webhook } from '../api/api.types';
import { useApp } from '../app-context';
import { UrlTestOutcome, useTestSend } from './url-test';

/** The saved webhook's Test button: an event type's example, signed with its secret, now; logged in its delivery log as a test. */
export function WebhookTest({ webhook }: { webhook: Webhook }) {
  const { api, categories } = useApp();
  const selected = webhook.events === '*' ? categories.flatMap((category) => category.events.map((event) => event.type)) : webhook.events;
  const [eventType, setEventType] = useState(selected[0] ?? 'contact.created');
  const { test, run } = useTestSend();

  return (
    <section className="card" aria-labelledby="test-title">
      <h2 id="test-title">Test</h2>
      <div className="filters">
        <label>
          Event type{' '}
          <select value={eventType} onChange={(input) => setEventType(input.target.value)}>
            {selected.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button" onClick={() => void run(() => api.testWebhook(webhook.id, eventType))} disabled={test.state === 'running'}>
          {test.state === 'running' ? 'Testing…' : 'Send test'}
        </button>
      </div>
      <p className="hint">Sends a signed example now, with this webhook&apos;s secret and headers; it shows in the delivery log marked “test”.</p>
      <div aria-live="polite">
        <UrlTestOutcome test={test} eventType={eventType} />
      </div>
    </section>
  );
}
