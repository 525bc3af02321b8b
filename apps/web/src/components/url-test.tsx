import { useState } from 'react';
import { ApiError } from '../api/api-client';
import type { TestResult } from '../api/api.types';
import { useApp } from '../app-context';

export type UrlTestState =
  | { state: 'idle' }
  | { state: 'running' }
  | { state: 'done'; result: TestResult }
  | { state: 'refused'; reason: string };

/**
 * The Test button's state and its one way to send: runs `send`, reports the answer (or why it
 * was refused) as state and to screen readers. Used by the form (URL not saved yet) and the
 * saved webhook's page.
 */
export function useTestSend(): { test: UrlTestState; setTest: (test: UrlTestState) => void; run: (send: () => Promise<TestResult>) => Promise<void> } {
  const { announce } = useApp();
  const [test, setTest] = useState<UrlTestState>({ state: 'idle' });
  const run = async (send: () => Promise<TestResult>): Promise<void> => {
    setTest({ state: 'running' });
    try {
      const result = await send();
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
      announce(`Test not sent: ${reason}`);
    }
  };
  return { test, setTest, run };
}

/** The answer of the Test button: status, latency and the start of the response, or why it was refused. */
export function UrlTestOutcome({ test, eventType }: { test: UrlTestState; eventType: string }) {
  if (test.state === 'idle') return null;
  if (test.state === 'running') return <p className="test-result">Sending a signed {eventType} example…</p>;
  if (test.state === 'refused') {
    return (
      <div className="test-result test-failure" data-testid="test-result">
        <strong>Not sent:</strong> {test.reason}
      </div>
    );
  }
  const { result } = test;
  const ok = result.outcome === 'success';
  return (
    <div className={`test-result ${ok ? 'test-success' : 'test-failure'}`} data-testid="test-result">
      <p>
        <strong>{result.status !== null ? `HTTP ${result.status}` : 'No response'}</strong>
        {' · '}
        {Math.round(result.latencyMs)} ms{' · '}
        {ok ? 'the endpoint accepted the test event' : result.error ? result.error.message : 'the endpoint did not answer 2xx'}
      </p>
      {result.signingSecret && (
        <p className="muted small">
          Signed with a throwaway secret, <code className="break">{result.signingSecret}</code>; once saved, the webhook signs with its own.
        </p>
      )}
      {result.responseBody && (
        <>
          <p className="muted">Response (start):</p>
          <pre className="code-block">{result.responseBody}</pre>
        </>
      )}
    </div>
  );
}
