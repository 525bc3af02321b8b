import { type AppConfig } from '@harmony/platform-config';
import { openDataSource } from '@harmony/platform-database';
import { API_KEY_SCOPES, type ApiKeyScope, isAdmin } from '@harmony/subscriptions/domain';
import { ServiceError, ValidationFailed } from '../common/service-errors';
import { SUBSCRIPTION_SERVICE_ENTITIES } from '../entities';
import { SUBSCRIPTION_SERVICE_MIGRATIONS } from '../migrations';
import { OutboxRepository } from '../outbox/outbox.repository';
import { TenancyRepository } from '../tenancy/tenancy.repository';
import { TenancyService } from '../tenancy/tenancy.service';
import { WebhookRepository } from '../webhooks/webhook.repository';

export const CLI_USAGE = `usage:
  subscription-cli create-workspace --name <workspace name> [--admin-name <name>] [--admin-user-id usr_…] [--workspace-id ws_…]
  subscription-cli create-api-key --member <mem_…> --name <key name> [--scopes webhooks:read,webhooks:write,events:publish]
  subscription-cli republish      (queue every webhook snapshot and API key record again, e.g. after the Kafka topics were lost)

Uses DATABASE_URL (or PGlite under DATA_DIR: stop the service first, PGlite is single-process).
Prints JSON; the API key in it is shown only this once.`;

/** Creates workspaces and API keys for real deployments (no first-run bootstrap in production). */
export async function runSubscriptionCli(argv: string[], config: AppConfig): Promise<{ code: number; output: string }> {
  const [command, ...rest] = argv;
  const options = parseOptions(rest);
  if (!command || !['create-workspace', 'create-api-key', 'republish'].includes(command) || options === null) return { code: 2, output: CLI_USAGE };
  const dataSource = await openDataSource({
    url: config.database.url,
    pgliteDir: config.database.pgliteDir,
    entities: SUBSCRIPTION_SERVICE_ENTITIES,
    migrations: SUBSCRIPTION_SERVICE_MIGRATIONS,
    poolSize: 2,
  });
  try {
    const outbox = new OutboxRepository(dataSource);
    const tenancyRepository = new TenancyRepository(dataSource, outbox);
    const tenancy = new TenancyService(tenancyRepository);
    if (command === 'republish') {
      // Same versions: consumers holding them already keep theirs; the relay of a running service sends the rest.
      const webhooks = new WebhookRepository(dataSource, outbox);
      const counts = await dataSource.transaction(async (manager) => ({
        subscriptions: await webhooks.republishAll(manager),
        apiKeys: await tenancyRepository.republishApiKeys(manager),
      }));
      return { code: 0, output: JSON.stringify({ queued: counts }, null, 2) };
    }
    if (command === 'create-workspace') {
      if (!options['name']) return { code: 2, output: CLI_USAGE };
      const { workspace, member, created } = await tenancy.createWorkspaceWithAdmin({
        workspaceName: options['name'],
        adminName: options['admin-name'] ?? 'Admin',
        userId: options['admin-user-id'],
        workspaceId: options['workspace-id'],
      });
      return { code: 0, output: JSON.stringify({ workspaceId: workspace.id, memberId: member.id, apiKeyId: created.apiKey.id, apiKey: created.key }, null, 2) };
    }
    const member = options['member'] ? await tenancyRepository.findMember(null, options['member']) : null;
    if (!member) return { code: 1, output: `no member ${options['member'] ?? '(missing --member)'}` };
    const scopes = (options['scopes']?.split(',').map((scope) => scope.trim()) ?? [...API_KEY_SCOPES]) as ApiKeyScope[];
    const created = await tenancy.createApiKey(
      { workspaceId: member.workspaceId, memberId: member.id, role: isAdmin(member.role) ? member.role : 'admin', scopes: [...API_KEY_SCOPES] },
      { name: options['name'], memberId: member.id, scopes },
    );
    return { code: 0, output: JSON.stringify({ apiKeyId: created.apiKey.id, memberId: member.id, scopes, apiKey: created.key }, null, 2) };
  } catch (error) {
    if (error instanceof ValidationFailed) return { code: 1, output: JSON.stringify({ errors: error.errors }, null, 2) };
    if (error instanceof ServiceError) return { code: 1, output: error.message };
    throw error;
  } finally {
    await dataSource.destroy();
  }
}

function parseOptions(args: string[]): Record<string, string> | null {
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i];
    const value = args[i + 1];
    if (!name?.startsWith('--') || value === undefined) return null;
    options[name.slice(2)] = value;
  }
  return options;
}
