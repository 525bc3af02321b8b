import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';

/**
 * A real single-node Apache Kafka (KRaft, combined broker + controller) on loopback, run from the
 * broker's jars on Maven Central: `tools/apache-kafka/pom.xml` pins the version, `mvn
 * dependency:copy-dependencies` copies its runtime classpath once into a cache outside the work
 * tree, and every start is `java -cp <cache>/lib/* kafka.Kafka` (no Docker, no distribution tarball).
 */

const ROOT = path.resolve(__dirname, '../../..');
const POM = path.join(ROOT, 'tools/apache-kafka/pom.xml');
const HOST = '127.0.0.1';
const NODE_ID = 1;
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 60_000;
/** Bounded heap: the machines have 2 cores and are shared. */
const JVM_OPTIONS = ['-Xms256m', '-Xmx512m', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:+ExitOnOutOfMemoryError', '-Djava.awt.headless=true'];

export interface ApacheKafkaOptions {
  /** Port of the PLAINTEXT listener on 127.0.0.1; default any free port. */
  port?: number;
  /** KRaft metadata and logs; formatted on first use, reused (restart) when already formatted. Default a new temp dir. */
  dataDir?: string;
}

export interface RunningApacheKafka {
  /** `127.0.0.1:port`, as KAFKA_BROKERS takes it. */
  address: string;
  port: number;
  /** The JVM's pid. */
  pid: number;
  dataDir: string;
  version: string;
  /** The broker's own log (Log4j, INFO). */
  logFile: string;
  /** SIGTERM (controlled shutdown), resolves once the JVM has exited. */
  stop(): Promise<void>;
  /** SIGKILL, resolves once the JVM has exited. */
  kill(): Promise<void>;
}

/** The Apache Kafka version `tools/apache-kafka/pom.xml` pins. */
export const APACHE_KAFKA_VERSION = readKafkaVersion(readFileSync(POM, 'utf8'));

function readKafkaVersion(pom: string): string {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom);
  if (!match) throw new Error(`${POM}: no <kafka.version> property`);
  return match[1];
}

/** `$HARMONY_CACHE_DIR` or `~/.cache/harmony` (XDG), `/apache-kafka/<version>`. */
export function apacheKafkaCacheDir(): string {
  const base = process.env['HARMONY_CACHE_DIR'] ?? path.join(process.env['XDG_CACHE_HOME'] ?? path.join(homedir(), '.cache'), 'harmony');
  return path.join(base, 'apache-kafka', APACHE_KAFKA_VERSION);
}

/**
 * The broker's runtime classpath, resolved from Maven Central on first use (needs `mvn` and
 * Java 17+); later calls only check the cache. The cache is keyed by the pom's content, so a
 * changed pom resolves again.
 */
export async function resolveApacheKafka(): Promise<{ version: string; libDir: string; log4jConfig: string }> {
  const cacheDir = apacheKafkaCacheDir();
  const libDir = path.join(cacheDir, 'lib');
  const pomHash = createHash('sha256').update(readFileSync(POM)).digest('hex');
  const stamp = path.join(libDir, '.pom-sha256');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== pomHash) {
    mkdirSync(cacheDir, { recursive: true });
    // Resolve into a private dir, then rename: concurrent first starts never see half a classpath.
    const staging = mkdtempSync(path.join(cacheDir, 'lib-staging-'));
    try {
      await run('mvn', ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${staging}`]);
      if (!readdirSync(staging).some((name) => name.startsWith(`kafka_2.13-${APACHE_KAFKA_VERSION}`))) {
        throw new Error(`mvn dependency:copy-dependencies left no kafka_2.13-${APACHE_KAFKA_VERSION} jar in ${staging}`);
      }
      writeFileSync(path.join(staging, '.pom-sha256'), pomHash);
      rmSync(libDir, { recursive: true, force: true });
      rmSync(classArchive(cacheDir), { force: true }); // made from the old jars
      try {
        renameSync(staging, libDir);
      } catch (err) {
        // Another process finished first with the same pom: use its copy.
        if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== pomHash) throw err;
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  const log4jConfig = path.join(cacheDir, 'log4j2.properties');
  // Rewritten only when it changed: a JVM starting meanwhile never reads a half-written file.
  if (!existsSync(log4jConfig) || readFileSync(log4jConfig, 'utf8') !== LOG4J_CONFIG) {
    writeFileSync(`${log4jConfig}.${process.pid}`, LOG4J_CONFIG);
    renameSync(`${log4jConfig}.${process.pid}`, log4jConfig);
  }
  return { version: APACHE_KAFKA_VERSION, libDir, log4jConfig };
}

// Everything at INFO to the JVM's stdout (the broker log file), but not the full config dump of every client and server.
const LOG4J_CONFIG = [
  'status = warn',
  'appender.out.type = Console',
  'appender.out.name = OUT',
  'appender.out.layout.type = PatternLayout',
  'appender.out.layout.pattern = [%d] %p %m (%c)%n',
  'rootLogger.level = INFO',
  'rootLogger.appenderRef.out.ref = OUT',
  'logger.config.name = org.apache.kafka.common.config.AbstractConfig',
  'logger.config.level = WARN',
  '',
].join('\n');

/**
 * Starts Apache Kafka in KRaft mode as a child JVM and resolves once it answers an ApiVersions
 * request on its listener. Calling it again with the same `port` and `dataDir` after `stop()` or
 * `kill()` restarts the same broker with its data. The JVM dies with this process (a watchdog
 * SIGKILLs it), so a crashed test run leaves no broker behind.
 *
 * Settings are Apache Kafka's defaults for one node, except what tests and development need:
 * replication factor 1 and 5 partitions for internal topics, no initial rebalance delay, session timeouts from
 * 500 ms (as the embedded broker's test fixture), retention checks and the log cleaner every second.
 */
export async function startApacheKafka(options: ApacheKafkaOptions = {}): Promise<RunningApacheKafka> {
  const { version, libDir, log4jConfig } = await resolveApacheKafka();
  const dataDir = path.resolve(options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'apache-kafka-')));
  mkdirSync(dataDir, { recursive: true });
  const state = readState(dataDir);
  const port = options.port || (await freePort());
  // The controller listener: the same port as last time when it is still free (the KRaft quorum knows the voter by it).
  const controllerPort = state && (await isFree(state.controllerPort)) ? state.controllerPort : await freePort();
  const clusterId = state?.clusterId ?? newClusterId();
  writeState(dataDir, { clusterId, controllerPort });

  const logDir = path.join(dataDir, 'kraft');
  const propertiesFile = path.join(dataDir, 'server.properties');
  writeFileSync(propertiesFile, serverProperties({ port, controllerPort, logDir }));
  const java = process.env['JAVA_HOME'] ? path.join(process.env['JAVA_HOME'], 'bin', 'java') : 'java';
  const classpath = path.join(libDir, '*');
  const logFile = path.join(dataDir, 'server.log');

  if (!existsSync(path.join(logDir, 'meta.properties'))) {
    await run(java, ['-Xmx256m', `-Dlog4j2.configurationFile=${log4jConfig}`, '-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propertiesFile]);
  }

  // Class data sharing: the first broker that stops cleanly leaves an archive of the classes it
  // loaded (written by the JVM at exit, under a name of its own, then renamed); later starts map it
  // and are up in about a third of the time. A JVM that cannot use it carries on without.
  const archive = classArchive(path.dirname(libDir));
  const archiveInProgress = `${archive}.${process.pid}.${Date.now()}`;
  const cds = existsSync(archive) ? `-XX:SharedArchiveFile=${archive}` : `-XX:ArchiveClassesAtExit=${archiveInProgress}`;
  const log = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(java, [...JVM_OPTIONS, cds, `-Dlog4j2.configurationFile=${log4jConfig}`, '-cp', classpath, 'kafka.Kafka', propertiesFile], {
      stdio: ['ignore', log, log],
    });
  } finally {
    closeSync(log);
  }
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${java} (Java 17+ is needed; JAVA_HOME picks one): ${(await spawnError).message}`);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      if (existsSync(archiveInProgress)) {
        if (signal === null && !existsSync(archive)) renameSync(archiveInProgress, archive); // not killed mid-write
        else rmSync(archiveInProgress, { force: true });
      }
      resolve(code ?? (signal ? -1 : null));
    }),
  );
  child.unref();
  watchParent(pid);

  const address = `${HOST}:${port}`;
  const fail = (reason: string): never => {
    throw new Error(`Apache Kafka ${version} ${reason}; the end of ${logFile}:\n${tail(logFile)}`);
  };
  const started = Date.now();
  let ready = false;
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  while (!ready) {
    if (exitCode !== undefined) fail(`exited (${exitCode}) before it listened on ${address}`);
    if (Date.now() - started > START_TIMEOUT_MS) {
      child.kill('SIGKILL');
      fail(`did not answer on ${address} within ${START_TIMEOUT_MS} ms`);
    }
    ready = await answersApiVersions(port);
    if (!ready) await new Promise((resolve) => setTimeout(resolve, 200));
  }

  const signalAndWait = async (signal: NodeJS.Signals, timeoutMs: number): Promise<void> => {
    if (exitCode !== undefined) return;
    child.ref(); // keep this process alive until the JVM has gone
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  };
  return {
    address,
    port,
    pid,
    dataDir,
    version,
    logFile,
    stop: () => signalAndWait('SIGTERM', STOP_TIMEOUT_MS),
    kill: () => signalAndWait('SIGKILL', STOP_TIMEOUT_MS),
  };
}

function classArchive(cacheDir: string): string {
  return path.join(cacheDir, 'kafka-classes.jsa');
}

function serverProperties(p: { port: number; controllerPort: number; logDir: string }): string {
  return [
    '# Written by libs/testing/src/apache-kafka.ts on every start.',
    'process.roles=broker,controller',
    `node.id=${NODE_ID}`,
    `controller.quorum.voters=${NODE_ID}@${HOST}:${p.controllerPort}`,
    `listeners=PLAINTEXT://${HOST}:${p.port},CONTROLLER://${HOST}:${p.controllerPort}`,
    `advertised.listeners=PLAINTEXT://${HOST}:${p.port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${p.logDir}`,
    'num.partitions=1',
    'offsets.topic.replication.factor=1',
    // One node: 5 partitions of the offsets topic instead of 50 (the first group and every restart load them all).
    'offsets.topic.num.partitions=5',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'group.min.session.timeout.ms=500',
    // Retention and compaction within a second or so (as the embedded broker's maintain()), not minutes.
    'log.retention.check.interval.ms=1000',
    'log.cleaner.backoff.ms=1000',
    '',
  ].join('\n');
}

interface DataDirState {
  clusterId: string;
  controllerPort: number;
}

function readState(dataDir: string): DataDirState | undefined {
  const file = path.join(dataDir, 'harmony-apache-kafka.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DataDirState) : undefined;
}

function writeState(dataDir: string, state: DataDirState): void {
  writeFileSync(path.join(dataDir, 'harmony-apache-kafka.json'), JSON.stringify(state) + '\n');
}

/** A Kafka cluster id: 16 random bytes, base64url, not starting with '-' (as Kafka's Uuid.randomUuid). */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** A shell loop that SIGKILLs the JVM once this process has gone (tests that crash, Ctrl-C). */
function watchParent(javaPid: number): void {
  const script = `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${javaPid} 2>/dev/null; do sleep 1; done; kill -9 ${javaPid} 2>/dev/null; exit 0`;
  spawn('sh', ['-c', script], { stdio: 'ignore', detached: true }).unref();
}

/** True once the broker answers an ApiVersions v0 request (it serves requests only after it is unfenced). */
function answersApiVersions(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => {
      // size, api key 18 (ApiVersions), version 0, correlation id 1, client id null
      const request = Buffer.alloc(14);
      request.writeInt32BE(10, 0);
      request.writeInt16BE(18, 4);
      request.writeInt16BE(0, 6);
      request.writeInt32BE(1, 8);
      request.writeInt16BE(-1, 12);
      socket.write(request);
    });
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 10) done(received.readInt32BE(4) === 1 && received.readInt16BE(8) === 0);
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} ${args.join(' ')} failed (${err.message.split('\n')[0]}):\n${stdout}${stderr}`));
      else resolve();
    });
  });
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
