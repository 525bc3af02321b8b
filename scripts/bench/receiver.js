// The bench's receiver, its own process: answers every POST 200 at once and
// reports each arrival of a webhook request to the bench over IPC, batched
// (path index, webhook-id, arrival time on the shared clock).
'use strict';
const http = require('node:http');
const { performance } = require('node:perf_hooks');

const now = () => performance.timeOrigin + performance.now();
let pending = [];
let rawCount = 0;

const server = http.createServer((req, res) => {
  const arrived = now();
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 }).end('{}');
  });
  // /h/<index>: a bench webhook; anything else (the raw ceiling run) is only counted.
  const match = /^\/h\/(\d+)$/.exec(req.url ?? '');
  if (match) pending.push([Number(match[1]), String(req.headers['webhook-id'] ?? ''), arrived]);
  else rawCount++;
});
server.keepAliveTimeout = 30_000;

setInterval(() => {
  if (pending.length === 0) return;
  const batch = pending;
  pending = [];
  process.send({ arrivals: batch });
}, 50).unref();

process.on('message', (message) => {
  if (message === 'raw-count') process.send({ rawCount });
});
process.on('disconnect', () => process.exit(0));
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
