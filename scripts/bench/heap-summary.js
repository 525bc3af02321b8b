#!/usr/bin/env node
// Summarises a V8 heap snapshot (`npm run bench -- --heap-snapshot dir`): retained-by-nobody
// accounting is not attempted; it sums each node's own (shallow) size by what it is — an
// object's constructor name, or the kind (strings, code, arrays, closures…) — and prints
// the largest. `node scripts/bench/heap-summary.js file.heapsnapshot [top=30]`
'use strict';
const fs = require('node:fs');

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: heap-summary.js <file.heapsnapshot> [top]');
  process.exit(2);
}
const { snapshot, nodes, strings } = JSON.parse(fs.readFileSync(file, 'utf8'));
const fields = snapshot.meta.node_fields;
const types = snapshot.meta.node_types[0];
const width = fields.length;
const at = { type: fields.indexOf('type'), name: fields.indexOf('name'), size: fields.indexOf('self_size') };
const bySort = new Map();
let total = 0;
for (let i = 0; i < nodes.length; i += width) {
  const type = types[nodes[i + at.type]];
  const size = nodes[i + at.size];
  total += size;
  const label = type === 'object' ? strings[nodes[i + at.name]] : `(${type})`;
  const entry = bySort.get(label) ?? { size: 0, count: 0 };
  entry.size += size;
  entry.count += 1;
  bySort.set(label, entry);
}
const mb = (bytes) => (bytes / 2 ** 20).toFixed(1).padStart(7);
console.log(`${file}: ${mb(total)} MB in ${(nodes.length / width).toLocaleString('en-US')} heap objects (shallow sizes)`);
for (const [label, { size, count }] of [...bySort].sort((a, b) => b[1].size - a[1].size).slice(0, Number(topArg ?? 30))) {
  console.log(`${mb(size)} MB  ${count.toLocaleString('en-US').padStart(10)}  ${label}`);
}
