import 'reflect-metadata';
import { ConfigError, loadConfig } from '@harmony/platform-config';
import { runSubscriptionCli } from '@harmony/subscriptions/feature';

/** `node scripts/run-ts.js apps/subscription-service/src/cli.ts create-workspace --name Acme` */
async function main(): Promise<void> {
  try {
    const { code, output } = await runSubscriptionCli(process.argv.slice(2), loadConfig());
    process.stdout.write(`${output}\n`);
    process.exit(code);
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : (error as Error).stack}\n`);
    process.exit(1);
  }
}

void main();
