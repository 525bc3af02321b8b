import type { TestResult } from '../api/api.types';

export type UrlTestState =
  | { state: 'idle' }
  | { state: 'running' }
  | { state: 'done'; result: TestResult }
  | { state: 'refused'; reason: string };

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
