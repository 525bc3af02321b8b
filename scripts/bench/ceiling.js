// The ceiling, its own process: raw undici POSTs to the receiver with the
// product sender's connection count and the delivery-worker's concurrency,
// for a fixed time after a warm-up. Prints one JSON line { requestsPerSecond }.
'use strict';
const { Agent } = require('undici');
const { performance } = require('node:perf_hooks');

const [origin, connections, concurrency, seconds] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5])];
const body = JSON.stringify({ id: 'evt_ceiling', type: 'contact.created', timestamp: new Date().toISOString(), workspace_id: 'ws_ceiling', data: { name: 'x'.repeat(400) } });
const agent = new Agent({ connections, pipelining: 1 });

async function loop(until, count) {
  let n = 0;
  while (performance.now() < until) {
    const response = await agent.request({ origin, path: '/raw', method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await response.body.text();
    if (count) n++;
  }
  return n;
}

async function main() {
  const warm = performance.now() + Math.min(1_000, seconds * 500);
  await Promise.all(Array.from({ length: concurrency }, () => loop(warm, false)));
  const started = performance.now();
  const until = started + seconds * 1_000;
  const counts = await Promise.all(Array.from({ length: concurrency }, () => loop(until, true)));
  const elapsed = (performance.now() - started) / 1_000;
  const total = counts.reduce((a, b) => a + b, 0);
  process.stdout.write(`${JSON.stringify({ requestsPerSecond: total / elapsed, requests: total })}\n`);
  await agent.close();
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
