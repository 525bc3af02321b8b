import 'reflect-metadata';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type AppConfig, ConfigError, loadConfig } from '@harmony/platform-config';
import { createLogger, HealthService, type Logger, NestPinoLogger } from '@harmony/platform-observability';
import { PlatformModule } from './platform.module';

export interface ServiceDefinition {
  /** The service's name in logs and metrics, e.g. `fan-out`. */
  name: string;
  /** The service modules this process runs (one, or all five for all-in-one). */
  modules: Type[];
}

export interface RunningService {
  app: INestApplication;
  config: AppConfig;
  logger: Logger;
  url: string;
}

/** Builds and starts a service process without touching process-wide state (tests use this). */
export async function startService(definition: ServiceDefinition, config: AppConfig, logger: Logger): Promise<RunningService> {
  const app = await NestFactory.create(
    {
      module: class ServiceRootModule {},
      imports: [PlatformModule.forRoot({ service: definition.name, config, logger }), ...definition.modules],
    },
    // Bodies are read by JsonBodyInterceptor, after the API key was checked.
    { logger: new NestPinoLogger(logger), abortOnError: false, bodyParser: false },
  );
  await app.listen(config.http.port, config.http.host);
  const address = app.getHttpServer().address() as { port: number };
  const host = config.http.host === '0.0.0.0' || config.http.host === '127.0.0.1' ? 'localhost' : config.http.host;
  return { app, config, logger, url: `http://${host}:${address.port}` };
}

/**
 * The whole `main.ts` of a service: configuration validated first (a bad
 * environment exits 1 naming every bad variable), then the app, then
 * graceful shutdown on SIGTERM/SIGINT within SHUTDOWN_GRACE_MS. A part that
 * cannot recover (a consumer down past KAFKA_CONSUMER_MAX_DOWN_MS) shuts the
 * process down the same way but exits 1, for its supervisor to restart it.
 */
export async function runService(definition: ServiceDefinition): Promise<RunningService | undefined> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${definition.name}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ service: definition.name, level: config.logLevel });
  try {
    const running = await startService(definition, config, logger);
    installShutdown(running);
    logger.info({ url: running.url }, `${definition.name} listening on ${running.url}`);
    return running;
  } catch (error) {
    logger.fatal({ err: error }, `${definition.name} failed to start`);
    process.exit(1);
  }
}

function installShutdown({ app, config, logger }: RunningService): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals | 'dead', exitCode = 0): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight work');
    const force = setTimeout(() => {
      logger.error({ graceMs: config.shutdownGraceMs }, 'shutdown grace period over; exiting');
      process.exit(1);
    }, config.shutdownGraceMs);
    force.unref();
    app.close().then(
      () => {
        logger.info('stopped');
        process.exit(exitCode);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // Node calls a signal listener with (signal, signalNumber): pass only the name, or SIGTERM's
  // number (15) would become the exit code.
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  app.get(HealthService).onDead((part, reason) => {
    logger.fatal({ part, reason }, 'a required part cannot recover; exiting for the supervisor to restart this process');
    stop('dead', 1);
  });
}
