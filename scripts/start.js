#!/usr/bin/env node
// `npm start`: builds the page and the app when needed, runs the built all-in-one
// app (every service, the embedded broker and PGlite under DATA_DIR, default .data) and,
// besides its JSON log lines, prints the URL and — on the first start — the
// admin API key in plain words. PORT, DATA_DIR and every other variable of the
// README's configuration table pass through.
'use strict';
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ensureWebBuilt } = require('./web-build');
const { ensureAppBuilt } = require('./build');

const ROOT = path.resolve(__dirname, '..');

/**
 * node flags the app runs with: after each full GC, V8 lets its heap grow by half of
 * what is live, not by up to 4× (decision 0104: RSS after the bench's memory case
 * 458–545 → 365 MB on PostgreSQL, for ~9 % more CPU per delivery). Node refuses the
 * flag in NODE_OPTIONS, so it goes on the command line.
 */
const APP_NODE_ARGS = ['--heap-growing-percent=50'];

/**
 * Environment the app runs with unless the caller sets it: glibc's malloc (decision
 * 0104, session 6: RSS after the bench's memory case on PGlite −56 MB, then −31 MB):
 * - MALLOC_ARENA_MAX=2: at most two arenas instead of up to eight per core. Each
 *   thread that mallocs (the event loop, PGlite's and the broker's threads, V8's
 *   compiler and GC helpers, libuv's pool) otherwise gets one of its own, and memory
 *   freed in one stays resident there.
 * - MALLOC_MMAP_THRESHOLD_=131072: blocks of 128 KB and more (Buffers of fetched
 *   batches, messages between threads) are mapped and unmapped on their own. glibc
 *   otherwise raises that threshold each time such a block is freed, up to 32 MB, and
 *   from then on carves them from its arenas, where what a burst freed stays resident.
 */
const APP_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };

/** Receivers on this machine, for the local demo: the app itself allows no private range unless told. */
const LOCAL_RECEIVERS = '127.0.0.0/8,::1/128';

/**
 * The environment `npm start` runs the app with: loopback receivers allowed (over
 * http too) unless WEBHOOK_ALLOW_PRIVATE_CIDRS is set — set and empty means none.
 */
function localEnv(env) {
  return env.WEBHOOK_ALLOW_PRIVATE_CIDRS === undefined ? { ...env, WEBHOOK_ALLOW_PRIVATE_CIDRS: LOCAL_RECEIVERS } : env;
}

/**
 * Starts the all-in-one app as a child process (`nodeArgs`: flags for node
 * itself, e.g. --cpu-prof, which NODE_OPTIONS refuses). It runs the build
 * (dist/apps/all-in-one, rebuilt first when any source changed: scripts/build.js),
 * not the sources under SWC — the compiler and the sources it holds cost 66 MB
 * (PostgreSQL) to 148 MB (PGlite, whose thread compiled its own)
 * of resident memory (decision 0104); tests start it this way too, so they run
 * what `npm start` runs and never a stale build. Resolves once it listens,
 * with its URL, the first-run admin key and workspace (null unless this start
 * created them) and the embedded broker address.
 */
function startAllInOne({ env: given = process.env, onLine = (line) => process.stdout.write(`${line}\n`), nodeArgs = [] } = {}) {
  const env = { ...APP_ENV, ...localEnv(given) };
  let entry;
  try {
    entry = ensureAppBuilt('all-in-one', { log: onLine });
  } catch (error) {
    return Promise.reject(new Error(`building the app failed: ${error.message}`));
  }
  const child = spawn(process.execPath, [...nodeArgs, ...APP_NODE_ARGS, entry], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: Ctrl-C reaches it once, through forwardSignals (a second SIGINT would cut its graceful stop short).
    detached: true,
  });
  const found = { apiKey: null, workspaceId: null, brokers: null };
  return new Promise((resolve, reject) => {
    const handle = (line) => {
      onLine(line);
      if (!line.startsWith('{')) return;
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        return;
      }
      if (typeof entry.firstRunKey === 'string') {
        found.apiKey = entry.firstRunKey;
        found.workspaceId = entry.workspaceId ?? null;
      }
      if (Array.isArray(entry.brokers)) found.brokers = entry.brokers;
      const listening = /listening on (http:\/\/\S+)$/.exec(entry.msg ?? '');
      if (listening) resolve({ url: listening[1], ...found, allowPrivateCidrs: env.WEBHOOK_ALLOW_PRIVATE_CIDRS ?? '', child });
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buffered = '';
      stream.on('data', (chunk) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        lines.forEach(handle);
      });
    }
    child.once('exit', (code) => reject(new Error(`the all-in-one app exited (${code}) before it listened`)));
  });
}

/** The lines a newcomer reads: where the page is and, once, the admin key. */
function banner({ url, apiKey, allowPrivateCidrs = '' }) {
  const rule = '━'.repeat(72);
  const lines = ['', `━━━ Harmony Webhooks ${rule.slice(21)}`, `  page and API  ${url}`, `  API docs      ${url}/docs`];
  lines.push(
    allowPrivateCidrs.trim()
      ? `  webhook URLs  https; also http to ${allowPrivateCidrs} (this machine, for local development: WEBHOOK_ALLOW_PRIVATE_CIDRS)`
      : '  webhook URLs  https to public hosts only (WEBHOOK_ALLOW_PRIVATE_CIDRS is empty)',
    '',
  );
  if (apiKey) {
    lines.push(
      '  First start: a workspace was created with this admin API key.',
      '  It is shown only this once (only its hash is stored): keep it now.',
      '',
      `      ${apiKey}`,
      '',
      '  Sign in on the page with it, or call the API:',
      `    curl -H "Authorization: Bearer ${apiKey}" ${url}/v1/webhooks`,
    );
  } else {
    lines.push('  Sign in with the admin API key printed on the first start.', '  Lost it? The CLI in the README makes keys; a new DATA_DIR starts afresh.');
  }
  lines.push(rule, '');
  return lines.join('\n');
}

function forwardSignals(child) {
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

module.exports = { startAllInOne, banner, forwardSignals, APP_NODE_ARGS, APP_ENV };

if (require.main === module) {
  try {
    ensureWebBuilt();
  } catch (error) {
    process.stderr.write(`${error.message}: the API starts anyway; / explains how to build the page.\n`);
  }
  startAllInOne().then(
    (running) => {
      forwardSignals(running.child);
      process.stdout.write(`${banner(running)}\n`);
    },
    (error) => {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    },
  );
}
