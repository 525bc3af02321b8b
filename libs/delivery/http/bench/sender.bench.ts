/**
 * WebhookSender throughput against a local receiver (a separate process, so
 * it does not share our event loop), next to raw undici as the ceiling.
 *
 *   node scripts/run-ts.js libs/delivery/http/bench/sender.bench.ts [seconds=5] [concurrency=50]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import { generateSigningSecret } from '@harmony/webhooks/domain';
import { WebhookSender } from '../src';

const seconds = Number(process.argv[2] ?? 5);
const concurrency = Number(process.argv[3] ?? 50);
const CONNECTIONS = 16;

const RECEIVER = `
const http = require('node:http');
const server = http.createServer((req, res) => { req.resume(); req.on('end', () => res.end('{"ok":true}')); });
server.keepAliveTimeout = 30000;
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
`;

async function startReceiver(): Promise<{ port: number; child: ChildProcess }> {
  const child = fork('-e', [RECEIVER], { execArgv: ['-e', RECEIVER], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve(Number(message)));
    child.once('error', reject);
  });
  return { port, child };
}

async function run(name: string, once: () => Promise<void>): Promise<number> {
  // Warm up connections and JIT.
  const warmUntil = performance.now() + 1_000;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < warmUntil) await once();
  }));
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1_000;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < until) {
      const t = performance.now();
      await once();
      latencies.push(performance.now() - t);
    }
  }));
  const elapsed = (performance.now() - started) / 1_000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!.toFixed(2);
  const rate = latencies.length / elapsed;
  console.log(`${name.padEnd(40)} ${rate.toFixed(0).padStart(7)} req/s   p50 ${pct(0.5)} ms   p99 ${pct(0.99)} ms   (${latencies.length} requests)`);
  return rate;
}

async function main(): Promise<void> {
  const { port, child } = await startReceiver();
  const body = JSON.stringify({ id: 'evt_bench', type: 'contact.created', timestamp: new Date().toISOString(), workspace_id: 'ws_bench', data: { name: 'x'.repeat(512) } });
  console.log(`concurrency ${concurrency}, ${seconds} s per run, ${CONNECTIONS} connections per origin, body ${body.length} B, node ${process.version}`);
  try {
    const raw = new Agent({ connections: CONNECTIONS, pipelining: 1 });
    const rawRate = await run('raw undici (ceiling)', async () => {
      const response = await raw.request({ origin: `http://127.0.0.1:${port}`, path: '/hook', method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await response.body.text();
    });
    await raw.close();

    const secret = generateSigningSecret();
    const sender = new WebhookSender({ allowPrivateCidrs: ['127.0.0.0/8'], allowHttp: true, timeoutMs: 15_000, connectionsPerOrigin: CONNECTIONS });
    let failures = 0;
    const senderRate = await run('WebhookSender (sign + SSRF guard, localhost)', async () => {
      const result = await sender.send({ url: `http://localhost:${port}/hook`, eventId: 'evt_bench', body, secrets: [secret] });
      if (result.outcome !== 'success') failures += 1;
    });
    await sender.close();
    console.log(`WebhookSender / raw undici: ${((senderRate / rawRate) * 100).toFixed(0)} %   failures: ${failures}`);
  } finally {
    child.kill();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
