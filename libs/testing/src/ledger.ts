/** What the crash and fault suites account for: published, delivered, duplicated, lost. */
export interface Ledger {
  published: number;
  delivered: number;
  duplicates: number;
  lost: number;
  seconds: number;
  /** Suite-specific figures, printed after the standard ones. */
  [extra: string]: number | string;
}

/** One line per suite, in CI's log: `ledger suite=… published=… delivered=… duplicates=… lost=… seconds=…`. */
export function formatLedger(suite: string, ledger: Ledger): string {
  const fields = Object.entries({ suite, ...ledger }).map(([name, value]) => `${name}=${typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(1) : value}`);
  return `ledger ${fields.join(' ')}`;
}

/** Prints the ledger line on stdout (not through Jest's console, so it stays one plain line). */
export function printLedger(suite: string, ledger: Ledger): void {
  process.stdout.write(`${formatLedger(suite, ledger)}\n`);
}
