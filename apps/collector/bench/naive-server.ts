import { createHmac } from 'node:crypto';
import { open } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import type { FieldBody } from '@tagplan/catalog';
import { demoCatalog } from '@tagplan/codegen-testing';
import { BENCH_ENVIRONMENT, benchValidators } from './bench-payloads';

/**
 * The reference collector.bench.ts compares with: a plain node:http server doing what the
 * issue calls the naive collector: JSON.parse, the same ajv validators, enrichment
 * (keyed hashes of pii: hash fields, times, contexts), JSON.stringify of each record, and
 * one write + fdatasync per request before the answer. No de-duplication, no metrics, no
 * group commit, no bad rows file (invalid events are only counted). Not a product: a
 * yardstick. Listens on TAGPLAN_COLLECTOR_PORT, writes under TAGPLAN_COLLECTOR_DATA_DIR.
 */
async function main(): Promise<void> {
  const catalog = demoCatalog();
  const validators = benchValidators();
  const hashed = catalog.names('field').filter((name) => catalog.versions('field', name).some((entry) => (entry.body as FieldBody).pii === 'hash'));
  const secret = process.env['TAGPLAN_COLLECTOR_PII_SECRET'] ?? 'naive-secret';
  const hmac = (value: unknown) => createHmac('sha256', secret).update(String(value)).digest('hex');
  const file = await open(path.join(process.env['TAGPLAN_COLLECTOR_DATA_DIR'] ?? '.', 'naive.jsonl'), 'a');

  const server = createServer((request, response) => {
    if (request.url !== '/v1/events') {
      response.end('ok');
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { sent_ts: number; events: Record<string, any>[] };
      const receivedTs = Date.now();
      const queryCtx = { user_agent: request.headers['user-agent'] ?? null, ip_hash: hmac(request.socket.remoteAddress), content_encoding: null, write_key_id: 'naive', request_id: 'naive' };
      let text = '';
      let rejected = 0;
      for (const event of body.events) {
        const validate = validators.get(`${event['event_name']}@${event['event_version']}`);
        if (!validate || !validate(event['data'])) {
          rejected++;
          continue;
        }
        const data = event['data'] as Record<string, unknown>;
        for (const field of hashed) if (data[field] !== undefined) data[field] = hmac(data[field]);
        const record = {
          ...event,
          environment: BENCH_ENVIRONMENT,
          sent_ts: body.sent_ts,
          received_ts: receivedTs,
          ts: event['created_ts'] + receivedTs - body.sent_ts,
          stack_ctx: { ...event['stack_ctx'], collector_version: 'naive' },
          query_ctx: queryCtx,
        };
        text += `${JSON.stringify(record)}\n`;
      }
      file
        .write(text)
        .then(() => file.datasync())
        .then(() => {
          const answer = JSON.stringify({ accepted: body.events.length - rejected, rejected: Array.from({ length: rejected }, () => ({})) });
          response.writeHead(200, { 'content-type': 'application/json' }).end(answer);
        });
    });
  });
  server.listen(Number(process.env['TAGPLAN_COLLECTOR_PORT']), '127.0.0.1');
  process.once('SIGTERM', () => server.close(() => void file.close().then(() => process.exit(0))));
}

void main();
