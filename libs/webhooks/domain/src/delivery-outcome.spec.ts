import {
  classifyResponse,
  HttpStatusFailure,
  NetworkFailure,
  nextStepAfterFailure,
  statusClassOf,
  TargetRefused,
  TimeoutFailure,
} from './delivery-outcome';
import { RetryPolicy } from './retry-policy';

const now = Date.parse('2026-11-27T09:00:00Z');
const policy = new RetryPolicy({ random: () => 0.5 });

describe('classifyResponse', () => {
  it.each([200, 201, 202, 204, 299])('%i is success', (status) => {
    expect(classifyResponse(status, undefined, now)).toEqual({ ok: true, statusClass: '2xx' });
  });

  it.each([
    [301, '3xx'],
    [302, '3xx'],
    [308, '3xx'],
    [400, '4xx'],
    [404, '4xx'],
    [429, '4xx'],
    [500, '5xx'],
    [503, '5xx'],
  ])('%i is a retryable failure of class %s', (status, statusClass) => {
    const result = classifyResponse(status, undefined, now);
    if (result.ok) throw new Error('expected a failure');
    expect(result.failure).toMatchObject({ code: 'http_status', status, statusClass, retryable: true, disablesEndpoint: false });
  });

  it('410 Gone is not retried and disables the endpoint', () => {
    const result = classifyResponse(410, undefined, now);
    if (result.ok) throw new Error('expected a failure');
    expect(result.failure).toMatchObject({ retryable: false, disablesEndpoint: true, statusClass: '4xx' });
    expect(nextStepAfterFailure(result.failure, 1, policy)).toEqual({
      action: 'drop',
      disableEndpoint: true,
      reason: 'HTTP 410 Gone: the endpoint asked to stop deliveries',
    });
  });

  it('reads Retry-After on 429 and 503 only', () => {
    const limited = classifyResponse(429, '120', now);
    const unavailable = classifyResponse(503, 'Fri, 27 Nov 2026 09:10:00 GMT', now);
    const broken = classifyResponse(500, '120', now);
    expect(!limited.ok && limited.failure.retryAfterMs).toBe(120_000);
    expect(!unavailable.ok && unavailable.failure.retryAfterMs).toBe(600_000);
    expect(!broken.ok && broken.failure.retryAfterMs).toBeNull();
  });
});

describe('statusClassOf', () => {
  it('labels with a bounded set', () => {
    expect([204, 302, 418, 599, 101, 999].map(statusClassOf)).toEqual(['2xx', '3xx', '4xx', '5xx', 'network', 'network']);
  });
});

describe('failures carry their own retry decision', () => {
  it('timeouts and network errors are retried with the attempt tier', () => {
    for (const failure of [new TimeoutFailure(15_000, 'headers'), new NetworkFailure('connection_refused', 'ECONNREFUSED')]) {
      expect(failure.retryable).toBe(true);
      expect(nextStepAfterFailure(failure, 2, policy)).toEqual({
        action: 'retry',
        nextAttempt: 3,
        tier: expect.objectContaining({ name: '5m' }),
        delayMs: 300_000,
        retryAfterApplied: false,
      });
    }
    expect(new TimeoutFailure(15_000).statusClass).toBe('timeout');
    expect(new NetworkFailure('dns_failure', 'ENOTFOUND').toAttemptError()).toEqual({ code: 'dns_failure', message: 'ENOTFOUND' });
  });

  it('a DNS-found refusal is retried; a refusal of the URL as written is dropped', () => {
    const viaDns = new TargetRefused('ssrf_blocked', 'hooks.example.com resolved to 10.0.0.1 (private)', true);
    const literal = new TargetRefused('ssrf_blocked', 'address 10.0.0.1 is private', false);
    expect(viaDns.statusClass).toBe('refused');
    expect(nextStepAfterFailure(viaDns, 1, policy)).toMatchObject({ action: 'retry', nextAttempt: 2 });
    expect(nextStepAfterFailure(literal, 1, policy)).toEqual({ action: 'drop', disableEndpoint: false, reason: 'address 10.0.0.1 is private' });
  });

  it('a retryable failure on the last attempt is exhausted', () => {
    expect(nextStepAfterFailure(new HttpStatusFailure(500), 8, policy)).toEqual({ action: 'exhausted' });
  });

  it('a 429 with a long Retry-After waits that long', () => {
    expect(nextStepAfterFailure(new HttpStatusFailure(429, 3_600_000), 1, policy)).toMatchObject({
      action: 'retry',
      retryAfterApplied: true,
      tier: { name: '30m' },
    });
  });

  it('are Errors with names for logs', () => {
    const failure = new HttpStatusFailure(502);
    expect(failure).toBeInstanceOf(Error);
    expect(failure.name).toBe('HttpStatusFailure');
    expect(failure.message).toBe('HTTP 502');
  });
});
