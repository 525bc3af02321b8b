import { logLevel, type logCreator } from 'kafkajs';
import type { Logger } from '@harmony/platform-observability';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** kafkajs logs through the service's pino logger (JSON lines, same redaction). */
export function kafkaLogCreator(logger: Logger): logCreator {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return () =>
    ({ level, log }) => {
      const { message, timestamp: _timestamp, logger: _name, ...fields } = log;
      kafkaLogger[LEVELS[level] ?? 'info'](fields, message);
    };
}

/** kafkajs is chatty at info (every join/leave); keep warnings and errors unless debugging. */
export function kafkaLogLevel(level: string): logLevel {
  if (level === 'debug' || level === 'trace') return logLevel.DEBUG;
  if (level === 'silent' || level === 'fatal') return logLevel.NOTHING;
  return logLevel.WARN;
}
