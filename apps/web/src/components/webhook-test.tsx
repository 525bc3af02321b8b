import { useState } from 'react';
import { ApiError } from '../api/api-client';
import type { Webhook } from '../api/api.types';
import { useApp } from '../app-context';
import { UrlTestOutcome, type UrlTestState } from './url-test';

/** The saved webhook's Test button: an event type's example, signed with its secret, now; logged in its delivery log as a test. */
export function WebhookTest({ webhook }: { webhook: Webhook }) {
  const { api, categories, announce } = useApp();
  const selected = webhook.events === '*' ? categories.flatMap((category) => category.events.map((event) => event.type)) : webhook.events;
  const [eventType, setEventType] = useState(selected[0] ?? 'contact.created');
  const [test, setTest] = useState<UrlTestState>({ state: 'idle' });

  const run = async (): Promise<void> => {
    setTest({ state: 'running' });
    try {
      const result = await api.testWebhook(webhook.id, eventType);
      setTest({ state: 'done', result });
      announce(`Test: ${result.status !== null ? `HTTP ${result.status}` : 'no response'} in ${Math.round(result.latencyMs)} ms`);
    } catch (error) {
      const reason =
        error instanceof ApiError && error.fieldErrors.length > 0
          ? error.fieldErrors.map((failure) => `${failure.field} ${failure.reason}`).join('; ')
          : error instanceof Error
            ? error.message
            : String(error);
      setTest({ state: 'refused', reason });
    }
  };

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
        <button type="button" className="button" onClick={() => void run()} disabled={test.state === 'running'}>
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
