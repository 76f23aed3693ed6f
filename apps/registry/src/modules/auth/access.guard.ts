import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { REGISTRY_CONFIG } from '../../config/config.module';
import type { RegistryConfig } from '../../config/registry-config';
import { ACCESS_KEY, type AuthenticatedRequest } from './access.decorator';
import { AuthException } from './auth.exceptions';
import { AuthService } from './auth.service';
import { accessProblem, type AccessLevel } from './principal';

/** Applied to every route: authenticates the caller and checks the route's access level. */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const level = this.reflector.getAllAndOverride<AccessLevel>(ACCESS_KEY, [context.getHandler(), context.getClass()]) ?? 'read';
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (level === 'public') return true;
    const principal = await this.auth.authenticate(request.headers.authorization);
    if (principal) request.principal = principal;
    const problem = accessProblem(level, principal, this.config.openReads);
    if (problem) throw new AuthException(principal ? 'forbidden' : 'unauthenticated', problem);
    return true;
  }
}
