import type { SendResult } from './webhook-sender';

/**
 * Whether an attempt says the endpoint is unhealthy (feeds its circuit
 * breaker): timeouts, network errors, 5xx and 429. Other 4xx and 3xx are the
 * receiver's configuration, and a refusal is ours: neither opens the circuit.
 */
export function countsAgainstEndpoint(result: Pick<SendResult, 'outcome' | 'statusClass' | 'status'>): boolean {
  if (result.outcome === 'success') return false;
  return result.statusClass === 'timeout' || result.statusClass === 'network' || result.statusClass === '5xx' || result.status === 429;
}
