import { parentPort, workerData } from 'node:worker_threads';
import { startBroker } from '../broker/broker';
import type { LogLevel } from '../broker/broker-logger';
import type { BrokerThreadMessage, BrokerThreadOptions } from './broker-thread';

/** The thread the embedded broker runs on (started by BrokerThread): it ends when told 'close'. */

if (!parentPort) throw new Error('broker.worker runs as a worker thread (BrokerThread starts it)');
const port = parentPort;
const { logLevel = 'info', ...options } = workerData as BrokerThreadOptions;
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const post = (message: BrokerThreadMessage): void => port.postMessage(message);

/** Fields cross as data: an Error becomes its name and message, anything else not cloneable its string. */
function cloneable(fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!fields) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value instanceof Error) out[key] = { name: value.name, message: value.message };
    else if (typeof value === 'function' || typeof value === 'symbol') out[key] = String(value);
    else out[key] = value;
  }
  return out;
}

startBroker({
  ...options,
  logger: {
    log(level, msg, fields) {
      if (RANK[level] >= RANK[logLevel]) post({ kind: 'log', level, msg, fields: cloneable(fields) });
    },
  },
}).then(
  (broker) => {
    post({ kind: 'started', host: broker.host, port: broker.port });
    port.once('message', () => {
      void broker.close().finally(() => port.close());
    });
  },
  (error: unknown) => post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }),
);
