import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Collector } from '../collector';
import { IntakeError } from '../intake/intake-errors';
import { errorFields } from '../logging/logger';

const JSON_TYPE = 'application/json; charset=utf-8';
// Write keys are bearer tokens, not cookies: any origin may send events (browser langpacks).
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'Authorization, Content-Type, Content-Encoding',
  'access-control-max-age': '86400',
};

/**
 * The collector's HTTP surface on plain node:http: POST /v1/events, GET /metrics,
 * /healthz, /readyz. Everything else is a JSON 404 or 405.
 */
export function createRequestListener(collector: Collector): RequestListener {
  return (request, response) => {
    const started = process.hrtime.bigint();
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const done = (route: string, status: number, fields: Record<string, unknown> = {}) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      collector.metrics.request(route, status, seconds);
      if (status >= 500) collector.logger.error('request failed', { method: request.method, path, status, ms: round(seconds * 1000), ...fields });
      else if (collector.logger.enabled('debug')) collector.logger.debug('request', { method: request.method, path, status, ms: round(seconds * 1000), ...fields });
    };
    switch (path) {
      case '/v1/events':
        if (request.method === 'OPTIONS') {
          response.writeHead(204, CORS).end();
          return done('events', 204);
        }
        if (request.method !== 'POST') return sendError(request, response, new IntakeError('method_not_allowed', 'send events with POST'), done, 'events', { allow: 'POST, OPTIONS' });
        collector.intake.receive({ headers: request.headers, body: request, remoteAddress: request.socket.remoteAddress }).then(
          (result) => {
            sendJson(response, 200, { accepted: result.accepted, rejected: result.rejected }, CORS);
            done('events', 200, { environment: result.environment, events: result.events, accepted: result.accepted, rejected: result.rejected.length, duplicates: result.duplicates, request_id: result.requestId });
          },
          (error: unknown) => sendError(request, response, error, done, 'events', CORS),
        );
        return;
      case '/metrics':
        if (request.method !== 'GET') return sendError(request, response, new IntakeError('method_not_allowed', 'use GET'), done, 'metrics', { allow: 'GET' });
        collector.metrics.text().then(
          (text) => {
            response.writeHead(200, { 'content-type': collector.metrics.contentType }).end(text);
            done('metrics', 200);
          },
          (error: unknown) => sendError(request, response, error, done, 'metrics'),
        );
        return;
      case '/healthz':
        sendJson(response, 200, { status: 'ok' });
        return done('healthz', 200);
      case '/readyz':
        collector.readiness().then(
          (readiness) => {
            const status = readiness.ready ? 200 : 503;
            sendJson(response, status, { status: readiness.ready ? 'ready' : 'not_ready', ...readiness });
            done('readyz', status);
          },
          (error: unknown) => sendError(request, response, error, done, 'readyz'),
        );
        return;
      default:
        return sendError(request, response, new IntakeError('not_found', `there is nothing at ${path}: events go to POST /v1/events`), done, 'other');
    }
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  response.end(text);
}

function sendError(
  request: IncomingMessage,
  response: ServerResponse,
  error: unknown,
  done: (route: string, status: number, fields?: Record<string, unknown>) => void,
  route: string,
  headers: Record<string, string> = {},
): void {
  const extra: Record<string, string> = { ...headers };
  // A body we did not read (refused early, or too large): close rather than leave it in the connection.
  if (!request.complete) {
    extra['connection'] = 'close';
    request.resume();
  }
  if (error instanceof IntakeError) {
    if (error.status === 401) extra['www-authenticate'] = 'Bearer realm="tagplan-collector"';
    if (error.retryAfterSeconds !== undefined) extra['retry-after'] = String(error.retryAfterSeconds);
    sendJson(response, error.status, error.toJSON(), extra);
    done(route, error.status, { error: error.code, message: error.message });
    return;
  }
  sendJson(response, 500, { statusCode: 500, error: 'internal_error', message: 'the collector failed; nothing of this request was acknowledged' }, extra);
  done(route, 500, errorFields(error));
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
