export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The broker's logging port: one structured line per event. */
export interface BrokerLogger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
}

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** JSON lines on stderr, the default (stdout stays free for a CLI's own output). */
export function createJsonLogger(minLevel: LogLevel = 'info', write: (line: string) => void = (l) => process.stderr.write(l)): BrokerLogger {
  return {
    log(level, msg, fields) {
      if (LEVEL_RANK[level] < LEVEL_RANK[minLevel]) return;
      write(JSON.stringify({ time: new Date().toISOString(), level, name: 'kafka-embedded', msg, ...fields }) + '\n');
    },
  };
}

export const SILENT_LOGGER: BrokerLogger = {
  log() {
    // Tests and embedders that log elsewhere.
  },
};
