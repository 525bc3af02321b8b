import { type CanActivate, createParamDecorator, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Actor, type ApiKeyScope, hasScope, isAdmin } from '@harmony/subscriptions/domain';
import { bearerToken } from '@harmony/webhooks/domain';
import { Forbidden, Unauthenticated } from '../common/service-errors';
import { TenancyService } from '../tenancy/tenancy.service';

const SCOPE = 'harmony:required-scope';
const ADMIN_ONLY = 'harmony:admin-only';

/** The scope a route needs; every /v1 route declares one. */
export const RequireScope = (scope: ApiKeyScope): MethodDecorator & ClassDecorator => SetMetadata(SCOPE, scope);
/** Workspace admins (and owners) only, e.g. API key management. */
export const AdminOnly = (): MethodDecorator & ClassDecorator => SetMetadata(ADMIN_ONLY, true);

interface AuthenticatedRequest {
  headers: Record<string, string | undefined>;
  actor?: Actor;
}

/** `Authorization: Bearer hwk_…` → the actor (workspace, member, role, scopes); 401 without a valid key, 403 without the scope. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly tenancy: TenancyService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = bearerToken(request.headers['authorization']);
    const actor = key ? await this.tenancy.authenticate(key) : null;
    if (!actor) throw new Unauthenticated();
    const targets = [context.getHandler(), context.getClass()];
    const scope = this.reflector.getAllAndOverride<ApiKeyScope | undefined>(SCOPE, targets);
    if (scope && !hasScope(actor, scope)) throw new Forbidden(`this API key lacks the ${scope} scope`);
    if (this.reflector.getAllAndOverride<boolean | undefined>(ADMIN_ONLY, targets) && !isAdmin(actor.role)) {
      throw new Forbidden('only workspace admins can do this');
    }
    request.actor = actor;
    return true;
  }
}

export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Unauthenticated();
  return actor;
});
