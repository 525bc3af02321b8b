/**
 * Heap held by the endpoint breakers of many endpoints (decision 0103): each
 * endpoint's breaker is created and fired once, then the heap is measured after GC.
 *
 *   node --expose-gc scripts/run-ts.js libs/delivery/http/bench/breakers-memory.bench.ts [endpoints=10000]
 */
import { EndpointBreakers } from '../src';

const endpoints = Number(process.argv[2] ?? 10_000);
const gc = (globalThis as { gc?: () => void }).gc;

async function main(): Promise<void> {
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  const before = process.memoryUsage().heapUsed;
  const breakers = new EndpointBreakers();
  for (let i = 0; i < endpoints; i++) await breakers.call(`endpoint-${i}`, async () => 'ok', () => false);
  gc();
  const held = process.memoryUsage().heapUsed - before;
  process.stdout.write(`${endpoints.toLocaleString('en-US')} endpoint breakers: ${(held / 2 ** 20).toFixed(1)} MB of heap (${Math.round(held / endpoints)} bytes each)\n`);
  breakers.close();
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
