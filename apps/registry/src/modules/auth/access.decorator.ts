import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { AuthException } from './auth.exceptions';
import type { AccessLevel, Principal } from './principal';

export const ACCESS_KEY = 'tagplan:access';

/** Who may call a route. Routes without it need `read`. */
export const Access = (level: AccessLevel) => SetMetadata(ACCESS_KEY, level);

export type AuthenticatedRequest = Request & { principal?: Principal };

/** The authenticated caller; a route that reads it answers 401 to anonymous calls. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new AuthException('unauthenticated', 'credentials are required: send Authorization: Bearer <token>');
  return principal;
});
