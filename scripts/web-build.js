#!/usr/bin/env node
// Builds the Webhook Subscriptions page (apps/web, Vite) into dist/apps/web
// when the build is missing or older than any of its sources. `npm start`,
// `npm run demo` and the browser test call it; `--force` always builds.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { swapIn } = require('./swap-in');

const ROOT = path.resolve(__dirname, '..');
const WEB = path.join(ROOT, 'apps/web');
const OUT = path.join(ROOT, 'dist/apps/web');
// The page imports the API's shapes from libs/contracts (@harmony/contracts/api).
const SOURCES = [path.join(WEB, 'src'), path.join(ROOT, 'libs/contracts/src'), path.join(WEB, 'index.html'), path.join(WEB, 'vite.config.mts'), path.join(ROOT, 'package-lock.json')];

function newestChange(entry) {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(entry).reduce((newest, name) => Math.max(newest, newestChange(path.join(entry, name))), stat.mtimeMs);
}

/** Why the page needs building, or null when dist/apps/web is up to date. */
function staleReason() {
  const index = path.join(OUT, 'index.html');
  if (!fs.existsSync(index)) return 'not built yet';
  const built = fs.statSync(index).mtimeMs;
  const changed = SOURCES.find((source) => newestChange(source) > built);
  return changed ? `${path.relative(ROOT, changed)} changed since the last build` : null;
}

/** Builds when stale (or always with force); throws when the build fails. */
function ensureWebBuilt({ force = false, log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const reason = force ? 'forced' : staleReason();
  if (!reason) return false;
  log(`Building the page (apps/web → dist/apps/web: ${reason})…`);
  const vite = path.join(path.dirname(require.resolve('vite', { paths: [ROOT] })), '../../bin/vite.js');
  // Built beside, then swapped in: a server (or a parallel build) never sees a half-written folder.
  const staging = `${OUT}.building-${process.pid}`;
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', path.join(WEB, 'vite.config.mts'), '--outDir', staging, '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (result.status !== 0) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new Error(`vite build failed (exit ${result.status})`);
  }
  swapIn(staging, OUT);
  return true;
}

module.exports = { ensureWebBuilt, staleReason, WEB_OUT: OUT };

if (require.main === module) {
  try {
    const built = ensureWebBuilt({ force: process.argv.includes('--force') });
    if (!built) process.stderr.write('The page is up to date (dist/apps/web).\n');
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
