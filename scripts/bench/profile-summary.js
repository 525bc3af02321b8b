#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof; `npm run bench -- --cpu-prof dir`):
// self time by where the code lives (a package, a lib of this repo, node internals,
// GC, idle), and the top functions, optionally only from `from` seconds into the profile
// (e.g. skip start-up). `node scripts/bench/profile-summary.js file.cpuprofile [top=25] [from=0]`
'use strict';
const fs = require('node:fs');

const [file, topArg, fromArg] = process.argv.slice(2);
const fromUs = Number(fromArg ?? 0) * 1e6;
if (!file) {
  console.error('usage: profile-summary.js <file.cpuprofile> [top]');
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
let elapsed = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0;
  elapsed += dt;
  if (elapsed < fromUs) continue;
  self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
}
function place(frame) {
  const url = frame.url || '';
  if (!url) return `(${frame.functionName || 'native'})`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  // The built app (dist/apps/<app>/libs/…) names the lib after the app's folder: the lib first.
  const lib = /\/(libs\/[^/]+(?:\/[^/]+)?)\//.exec(url) ?? /\/(apps\/[^/]+|scripts)\//.exec(url);
  return lib ? lib[1] : url;
}
const byPlace = new Map();
const byFunction = new Map();
let total = 0;
for (const [id, us] of self) {
  const frame = byId.get(id).callFrame;
  total += us;
  const where = place(frame);
  byPlace.set(where, (byPlace.get(where) ?? 0) + us);
  const fn = `${frame.functionName || '(anonymous)'} ${where}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
}
const idle = byPlace.get('((idle))') ?? 0;
const busy = total - idle;
const pct = (us) => `${((us / busy) * 100).toFixed(1).padStart(5)} %`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (${((busy / total) * 100).toFixed(0)} %); shares of busy time:`);
const top = Number(topArg ?? 25);
for (const [where, us] of [...byPlace].filter(([w]) => w !== '((idle))').sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${where}`);
console.log('top functions (self):');
for (const [fn, us] of [...byFunction].filter(([f]) => !f.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${fn}`);
