import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { CatalogIssue } from '@tagplan/catalog';
import { CatalogException, type CatalogErrorCode } from '../modules/catalog/catalog.exceptions';
import { AuthException, type AuthErrorCode } from '../modules/auth/auth.exceptions';
import { RequestException, UnreadableBodyException } from './request.exception';

/** The one JSON shape of every error the registry returns. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  issues?: CatalogIssue[];
}

const CATALOG_STATUS: Record<CatalogErrorCode, number> = {
  invalid_body: 400,
  not_found: 404,
  already_exists: 409,
  version_conflict: 409,
  unchanged: 409,
};

const AUTH_STATUS: Record<AuthErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  invalid_request: 400,
  already_exists: 409,
  not_found: 404,
};

/** Maps every feature's exceptions to HTTP in one place; domain code never throws HTTP errors. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Registry');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    if (body.statusCode === 401) response.setHeader('WWW-Authenticate', 'Bearer realm="tagplan"');
    // Immutable resources are cached for a year on success; an error must never be cached.
    response.setHeader('Cache-Control', 'no-store');
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof CatalogException) {
      return { statusCode: CATALOG_STATUS[exception.code], error: exception.code, message: exception.message, ...(exception.issues.length > 0 ? { issues: exception.issues } : {}) };
    }
    if (exception instanceof AuthException) {
      return { statusCode: AUTH_STATUS[exception.code], error: exception.code, message: exception.message };
    }
    if (exception instanceof RequestException) {
      return { statusCode: 400, error: 'invalid_request', message: exception.message };
    }
    if (exception instanceof UnreadableBodyException) {
      return { statusCode: exception.status, error: exception.code, message: exception.message };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const cause = exception.getResponse();
      const text = typeof cause === 'string' ? cause : String((cause as { message?: unknown }).message ?? exception.message);
      return { statusCode: status, error: status === 404 ? 'not_found' : 'invalid_request', message: text };
    }
    return { statusCode: 500, error: 'internal', message: 'internal error; the registry log has the details' };
  }
}
