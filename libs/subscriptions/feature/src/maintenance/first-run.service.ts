import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@harmony/platform-config';
import { LOGGER, type Logger } from '@harmony/platform-observability';
import { TenancyService } from '../tenancy/tenancy.service';

/**
 * Single-machine default: an empty database gets a workspace, an admin member
 * and an admin API key, and the key is printed once (it is stored hashed and
 * can never be shown again). Off in production (SUBSCRIPTIONS_BOOTSTRAP);
 * real deployments use the CLI.
 */
@Injectable()
export class FirstRunService implements OnApplicationBootstrap {
  constructor(
    private readonly tenancy: TenancyService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.subscriptions.bootstrap || (await this.tenancy.hasAnyWorkspace())) return;
    const { workspace, member, created } = await this.tenancy.createWorkspaceWithAdmin({ workspaceName: 'My workspace', adminName: 'Admin' });
    // Logged under a field name the redaction does not cover, on purpose: this line is how the key reaches its owner.
    this.logger.warn(
      {
        workspaceId: workspace.id,
        memberId: member.id,
        firstRunKey: created.key,
        try: `curl -H "Authorization: Bearer ${created.key}" http://localhost:${this.config.http.port}/v1/webhooks`,
      },
      'first run: created a workspace and an admin API key; it is shown only this once, store it now',
    );
  }
}
