import { createServer, type IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { CatalogValidator, type EventSchema } from '@tagplan/json-schema';

/** One request the stand-in collector received, with each event's verdict against the JSON Schema. */
export interface ReceivedBatch {
  headers: IncomingMessage['headers'];
  body: { payload_version: number; sent_ts: number; events: Record<string, unknown>[] };
  verdicts: { event_name: unknown; event_version: unknown; valid: boolean; violations: string[] }[];
}

export interface SchemaCheckingCollector {
  url: string;
  batches: ReceivedBatch[];
  /** Makes the next `count` requests fail with this status (to test retries and error callbacks). */
  failNext(count: number, status: number): void;
  close(): Promise<void>;
}

/**
 * A stand-in for the collector in langpack end-to-end tests: POST /v1/events over real
 * HTTP on loopback, gzip or not, every event checked with ajv against the registry's
 * JSON Schema. It answers 200 with {accepted, rejected} like the collector.
 */
export async function startSchemaCheckingCollector(schemas: EventSchema[], writeKey = 'test-write-key'): Promise<SchemaCheckingCollector> {
  const validator = new CatalogValidator(schemas);
  const batches: ReceivedBatch[] = [];
  let failures = { count: 0, status: 500 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (request.method !== 'POST' || request.url !== '/v1/events') return answer(404, { error: 'not_found' });
      if (failures.count > 0) {
        failures.count -= 1;
        return answer(failures.status, { error: 'injected_failure' });
      }
      if (request.headers.authorization !== `Bearer ${writeKey}`) return answer(401, { error: 'unknown_write_key' });
      let raw = Buffer.concat(chunks);
      try {
        if (request.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
        const body = JSON.parse(raw.toString('utf8')) as ReceivedBatch['body'];
        const verdicts = body.events.map((event) => {
          const verdict = validator.validate(String(event['event_name']), Number(event['event_version']), event['data']);
          return { event_name: event['event_name'], event_version: event['event_version'], valid: verdict.valid, violations: verdict.valid ? [] : verdict.violations.map((violation) => violation.message) };
        });
        batches.push({ headers: request.headers, body, verdicts });
        const rejected = verdicts.flatMap((verdict, index) => (verdict.valid ? [] : [{ index, event_name: verdict.event_name, reason: 'invalid_data', errors: verdict.violations }]));
        answer(200, { accepted: verdicts.length - rejected.length, rejected });
      } catch (error) {
        answer(400, { error: 'invalid_request', message: (error as Error).message });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    batches,
    failNext: (count, status) => {
      failures = { count, status };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
