#!/usr/bin/env node
// Production build: compiles an app and every workspace file it imports with
// SWC (decorator metadata for Nest DI; esbuild cannot emit it), rewriting the
// tsconfig path aliases to relative requires. Output per app:
//
//   dist/apps/<app>/main.js            entry: `node dist/apps/<app>/main.js`
//   dist/apps/<app>/apps|libs/**.js    the compiled sources, same layout as the repo
//   dist/apps/<app>/package.json       the npm packages the bundle requires (root versions)
//
// Usage: node scripts/build.js [app ...] [--out-dir dist]   (no app: every app)
// Why not @nx/js:swc or a bundler: docs/decisions/0040-production-build-with-swc.md
//
// `npm start` (scripts/start.js) runs the built all-in-one, not its sources under
// SWC (decision 0104: 66–148 MB less resident): ensureAppBuilt builds it when any
// input changed since the last build (half a second). Each build records its
// inputs in .build-inputs.json beside main.js: every file and folder of the Nx
// projects it compiled from, and this script, tsconfig.base.json and package.json.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { builtinModules } = require('node:module');
const swc = require('@swc/core');
const { swapIn } = require('./swap-in');

const ROOT = path.resolve(__dirname, '..');
const { compilerOptions } = require(path.join(ROOT, 'tsconfig.base.json'));
const rootPackage = require(path.join(ROOT, 'package.json'));

const SWC_OPTIONS = {
  swcrc: false,
  configFile: false,
  sourceMaps: true,
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    keepClassNames: true,
    externalHelpers: false,
    baseUrl: ROOT,
    paths: compilerOptions.paths,
  },
  module: { type: 'commonjs' },
};

// Packages that others load by name at run time (no require in our code).
const LOADED_BY_NAME = {
  '@nestjs/core': ['@nestjs/platform-express', 'reflect-metadata', 'rxjs'],
  '@nestjs/microservices': ['@grpc/grpc-js', '@grpc/proto-loader'],
  typeorm: ['pg'],
};

const TEST_FILE = /\.(spec|int-spec|e2e-spec|containers-spec)\.ts$|\.d\.ts$/;
const BUILTINS = new Set(builtinModules);

function parseArgs(argv) {
  const apps = [];
  let outDir = path.join(ROOT, 'dist');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out-dir') outDir = path.resolve(argv[++i]);
    else apps.push(argv[i]);
  }
  const all = fs.readdirSync(path.join(ROOT, 'apps')).filter((app) => fs.existsSync(path.join(ROOT, 'apps', app, 'src/main.ts')));
  for (const app of apps) {
    if (!all.includes(app)) throw new Error(`unknown app "${app}" (apps: ${all.join(', ')})`);
  }
  return { apps: apps.length > 0 ? apps : all, outDir };
}

/** `./x` from a source file → the workspace file it names (.ts, /index.ts, or as is). */
function resolveLocal(fromFile, specifier) {
  const base = path.resolve(path.dirname(fromFile), specifier);
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${path.relative(ROOT, fromFile)}: cannot resolve "${specifier}"`);
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The nearest folder holding a project.json: the Nx project a file belongs to. */
function projectRootOf(file) {
  for (let dir = path.dirname(file); dir.startsWith(ROOT) && dir !== ROOT; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'project.json'))) return dir;
  }
  throw new Error(`${path.relative(ROOT, file)} belongs to no Nx project`);
}

/** Project files that are not part of what runs. */
const NOT_ASSETS = /^(project\.json|jest\.config\.js|tsconfig.*\.json|eslint\.config\.\w+|\.eslintrc.*|.*\.md)$/;
const NOT_ASSET_DIRS = new Set(['test', 'tests', 'bench', 'test-fixtures', 'fixtures', '__snapshots__', 'node_modules']);

/** Copies a used project's non-TypeScript files (.proto, .json, .html...) to the same place in the bundle. */
function copyAssets(projectRoot, appOut) {
  let copied = 0;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!NOT_ASSET_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(full);
      } else if (!entry.name.endsWith('.ts') && !(dir === projectRoot && NOT_ASSETS.test(entry.name))) {
        const target = path.join(appOut, path.relative(ROOT, full));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.copyFileSync(full, target);
        copied++;
      }
    }
  };
  walk(projectRoot);
  return copied;
}

/** What a build is made from, besides the projects' own files. */
const BUILD_INPUTS = [__filename, path.join(ROOT, 'tsconfig.base.json'), path.join(ROOT, 'package.json')];
const INPUTS_FILE = '.build-inputs.json';

/**
 * Every file and folder under the projects (node_modules and dot entries aside),
 * and BUILD_INPUTS: path → size and mtime. A folder's mtime moves when an entry is
 * added, removed or renamed in it; a file's when it is written (git checkout too).
 */
function inputsOf(projectRoots) {
  const inputs = {};
  const note = (full, stat) => (inputs[path.relative(ROOT, full)] = `${stat.isDirectory() ? 'dir' : stat.size} ${Math.trunc(stat.mtimeMs)}`);
  const walk = (dir) => {
    note(dir, fs.statSync(dir));
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else note(full, fs.statSync(full));
    }
  };
  for (const root of projectRoots) walk(root);
  for (const file of BUILD_INPUTS) note(file, fs.statSync(file));
  return inputs;
}

/** Why dist/apps/<app> must be (re)built, or null when it is up to date with its sources. */
function staleReason(app, outDir = path.join(ROOT, 'dist')) {
  let recorded;
  try {
    recorded = JSON.parse(fs.readFileSync(path.join(outDir, 'apps', app, INPUTS_FILE), 'utf8'));
  } catch {
    return 'not built yet';
  }
  let now;
  try {
    now = inputsOf(recorded.projects.map((project) => path.join(ROOT, project)));
  } catch (error) {
    return `${error.path ? path.relative(ROOT, error.path) : 'an input'} is gone`;
  }
  for (const [file, stamp] of Object.entries(now)) if (recorded.inputs[file] !== stamp) return `${file} changed since the last build`;
  for (const file of Object.keys(recorded.inputs)) if (!(file in now)) return `${file} is gone`;
  return null;
}

/**
 * Builds the app when stale; returns the entry to run (dist/apps/<app>/main.js).
 * Throws when the build fails.
 */
function ensureAppBuilt(app, { log = (line) => process.stderr.write(`${line}\n`), outDir = path.join(ROOT, 'dist') } = {}) {
  const reason = staleReason(app, outDir);
  if (reason) {
    log(`Building ${app} (→ ${path.relative(ROOT, path.join(outDir, 'apps', app))}: ${reason})…`);
    buildApp(app, outDir, () => undefined);
  }
  return path.join(outDir, 'apps', app, 'main.js');
}

function buildApp(app, outDir, log = console.log) {
  const started = Date.now();
  const finalOut = path.join(outDir, 'apps', app);
  // Built beside, then swapped in: an app starting meanwhile (a parallel test) never sees a half-written folder.
  const appOut = `${finalOut}.building-${process.pid}`;
  fs.rmSync(appOut, { recursive: true, force: true });
  const entry = path.join(ROOT, 'apps', app, 'src/main.ts');
  const queue = [entry];
  const seen = new Set(queue);
  const packages = new Set();
  const projects = new Set();

  while (queue.length > 0) {
    const file = queue.shift();
    projects.add(projectRootOf(file));
    const target = path.join(appOut, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (!file.endsWith('.ts')) {
      fs.copyFileSync(file, target);
      continue;
    }
    const { code, map } = swc.transformFileSync(file, { ...SWC_OPTIONS, sourceFileName: path.relative(path.dirname(target), file) });
    fs.writeFileSync(target, `${code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
    fs.writeFileSync(`${target}.map`, map);
    // A relative require.resolve names a file loaded some other way (a worker thread's entry): it ships too.
    for (const [, resolveOnly, , specifier] of code.matchAll(/\brequire(\.resolve)?\((["'])([^"']+)\2\)/g)) {
      if (resolveOnly && !specifier.startsWith('.')) continue;
      if (specifier.startsWith('.')) {
        const dependency = resolveLocal(file, specifier);
        if (TEST_FILE.test(dependency)) throw new Error(`${path.relative(ROOT, file)} imports a test file: ${specifier}`);
        if (!seen.has(dependency)) {
          seen.add(dependency);
          queue.push(dependency);
        }
      } else if (!specifier.startsWith('node:') && !BUILTINS.has(specifier)) {
        packages.add(packageName(specifier));
      }
    }
  }

  let assets = 0;
  for (const project of projects) assets += copyAssets(project, appOut);

  for (const name of [...packages]) for (const implied of LOADED_BY_NAME[name] ?? []) packages.add(implied);
  const dependencies = {};
  for (const name of [...packages].sort()) {
    const version = rootPackage.dependencies?.[name];
    if (!version) {
      const where = rootPackage.devDependencies?.[name] ? 'is only a devDependency' : 'is not a dependency';
      throw new Error(`${app} requires "${name}" at run time, but it ${where} in package.json`);
    }
    dependencies[name] = version;
  }
  fs.writeFileSync(path.join(appOut, 'main.js'), `'use strict';\nrequire('./apps/${app}/src/main.js');\n`);
  fs.writeFileSync(
    path.join(appOut, 'package.json'),
    `${JSON.stringify(
      {
        name: `@harmony-webhooks/${app}`,
        version: rootPackage.version,
        private: true,
        license: rootPackage.license,
        main: 'main.js',
        engines: rootPackage.engines,
        scripts: { start: 'node --enable-source-maps main.js' },
        dependencies,
      },
      null,
      2,
    )}\n`,
  );
  // An input written since the build began may not be in it: recorded as such, the next start builds again.
  const inputs = inputsOf(projects);
  for (const [file, stamp] of Object.entries(inputs)) if (Number(stamp.split(' ')[1]) >= started) inputs[file] = 'written during the build';
  fs.writeFileSync(path.join(appOut, INPUTS_FILE), `${JSON.stringify({ projects: [...projects].map((project) => path.relative(ROOT, project)).sort(), inputs }, null, 1)}\n`);
  swapIn(appOut, finalOut);
  const ms = Date.now() - started;
  log(`${app}: ${seen.size} files from ${projects.size} projects, ${assets} assets, ${packages.size} packages → ${path.relative(process.cwd(), finalOut) || '.'} (${ms} ms)`);
}

module.exports = { ensureAppBuilt, staleReason };

if (require.main === module) {
  try {
    const { apps, outDir } = parseArgs(process.argv.slice(2));
    for (const app of apps) buildApp(app, outDir);
  } catch (error) {
    console.error(`build failed: ${error.message}`);
    process.exit(1);
  }
}
