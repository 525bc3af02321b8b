import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, types } from '@electric-sql/pglite';
import type { PgliteReply, PgliteRequest, PgliteThreadOptions, PgliteNotice } from './pglite-thread';

/**
 * The thread PGlite runs on (started by PGliteThread): one PGlite, its requests
 * answered in the order they came, its NOTIFYs posted as they are heard.
 */

/** pg returns int8 (and bigint columns) as strings; so must we. Applied here: functions do not cross threads. */
const PGLITE_PARSERS = { [types.INT8]: (value: string) => value };

/**
 * PostgreSQL's shared_buffers at 16 MB instead of 128 MB: PGlite's WebAssembly
 * memory only grows, so every buffer once touched stays resident for the life of
 * the process (decisions 0100 and 0104: 128 → 32 MB −105 MB resident after 100 MB of
 * data; 32 → 16 MB about −18 MB after the bench's memory case, session 6).
 * Its data files stay in the operating system's page cache, outside the process;
 * a page read back from there costs a copy, not I/O.
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

if (!parentPort) throw new Error('pglite.worker runs as a worker thread (PGliteThread starts it)');
const port = parentPort;
const { dataDir } = workerData as PgliteThreadOptions;
const unlistens = new Map<number, () => Promise<void>>();

async function answer(request: PgliteRequest, db: PGlite): Promise<unknown> {
  switch (request.op) {
    case 'query':
      return db.query(request.sql, request.values);
    case 'exec':
      return db.exec(request.sql);
    case 'listen': {
      const notify = (payload: string): void => port.postMessage({ listener: request.listener, payload } satisfies PgliteNotice);
      unlistens.set(request.listener, await db.listen(request.channel, notify));
      return undefined;
    }
    case 'unlisten': {
      const unlisten = unlistens.get(request.listener);
      unlistens.delete(request.listener);
      return unlisten?.();
    }
    case 'close':
      return db.close();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A PostgreSQL error's fields (code, detail, constraint, …) are own properties: they cross as data. */
function fieldsOf(error: unknown): Record<string, string | number | boolean> {
  const fields: Record<string, string | number | boolean> = {};
  if (typeof error !== 'object' || error === null) return fields;
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
  }
  return fields;
}

PGlite.create(dataDir, { parsers: PGLITE_PARSERS, startParams: START_PARAMS }).then(
  (db) => {
    port.on('message', (request: PgliteRequest) => {
      void answer(request, db)
        .then(
          (value): PgliteReply => ({ id: request.id, value }),
          (error: unknown): PgliteReply => ({ id: request.id, error: { message: messageOf(error), fields: fieldsOf(error) } }),
        )
        .then((reply) => {
          try {
            port.postMessage(reply);
          } catch (error) {
            // A value that cannot be cloned fails this call, not the thread.
            port.postMessage({ id: request.id, error: { message: `the reply cannot cross threads: ${messageOf(error)}`, fields: {} } } satisfies PgliteReply);
          }
          // Closed: the thread ends by itself (PGliteThread.close waits for that, and terminates it only as a fallback).
          if (request.op === 'close') port.close();
        });
    });
    port.postMessage({ ready: true, probe: new Date(0) });
  },
  (error: unknown) => port.postMessage({ ready: false, message: messageOf(error) }),
);
