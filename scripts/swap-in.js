'use strict';
// Puts a finished build folder in place of the old one in two renames, so a
// server or app starting meanwhile (a parallel test) never sees a half-written
// folder. Shared by the page's build (web-build.js) and the apps' (build.js).
const fs = require('node:fs');

/** Moves `staging` to `target`; a parallel build may have swapped its (equal) output in meanwhile: then that one stays. */
function swapIn(staging, target) {
  const retired = `${target}.old-${process.pid}`;
  ignoring(['ENOENT'], () => fs.renameSync(target, retired));
  ignoring(['EEXIST', 'ENOTEMPTY'], () => fs.renameSync(staging, target));
  for (const leftover of [staging, retired]) fs.rmSync(leftover, { recursive: true, force: true });
}

function ignoring(codes, action) {
  try {
    action();
  } catch (error) {
    if (!codes.includes(error.code)) throw error;
  }
}

module.exports = { swapIn };
