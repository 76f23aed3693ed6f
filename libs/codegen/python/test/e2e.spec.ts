import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildLangpackModel, type LangpackModel } from '@tagplan/codegen-core';
import { pythonNamer } from '@tagplan/codegen-python';
import { demoCatalog, startSchemaCheckingCollector, type SchemaCheckingCollector } from '@tagplan/codegen-testing';
import { schemasFromCatalog } from '@tagplan/json-schema';
import { exampleValue } from '../src/view-model';
import { FIXTURES, generateInto, PYTHON, pythonEnv, run } from './python-toolchain';

/**
 * End to end: the generated web-frontend langpack's real client sends batches over HTTP
 * to a stand-in collector that checks every event with ajv against the registry's JSON
 * Schema.
 */

jest.setTimeout(300_000);

const WRITE_KEY = 'test-write-key';
const UUID7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let root: string;
let langpack: string;
let model: LangpackModel;
let collector: SchemaCheckingCollector;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'tagplan-python-e2e-'));
  const catalog = demoCatalog();
  model = buildLangpackModel(catalog, 'web-frontend');
  langpack = await generateInto(root, 'web-frontend', model);
  copyFileSync(path.join(FIXTURES, 'e2e_send.py'), path.join(root, 'e2e_send.py'));
  collector = await startSchemaCheckingCollector(schemasFromCatalog(catalog, 'web-frontend'), WRITE_KEY);
});

afterAll(async () => {
  await collector?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

interface Spec {
  event: string;
  arguments: Record<string, unknown>;
  data: Record<string, unknown>;
}

/** One event of each kind with every field set to its catalog example. */
function everyEvent(): Spec[] {
  const namer = pythonNamer();
  return model.events.map((event) => {
    const data = Object.fromEntries(event.fields.map((field) => [field.name, exampleValue(field)]));
    // The keyword argument of a field is its escaped snake_case name.
    const args = Object.fromEntries(event.fields.map((field) => [namer.identifier(field.name, 'snake'), data[field.name]]));
    return { event: event.name, arguments: args, data };
  });
}

async function send(specs: Spec[]): Promise<{ drained: boolean; sent: number; failed: number; dropped: number; errors: string[] }> {
  const file = path.join(root, 'events.json');
  writeFileSync(file, JSON.stringify(specs.map(({ event, arguments: args }) => ({ event, arguments: args }))));
  const result = await run(PYTHON, [path.join(root, 'e2e_send.py'), 'acme_tagplan_web_frontend', collector.url, WRITE_KEY, file], { cwd: root, env: pythonEnv([langpack]) });
  if (result.status !== 0) throw new Error(`e2e_send.py failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as { drained: boolean; sent: number; failed: number; dropped: number; errors: string[] };
}

describe('the Python client end to end', () => {
  test('sends one of every event; the collector finds every one valid, with the right wire fields', async () => {
    const specs = everyEvent();
    expect(specs.length).toBe(model.events.length);
    const before = Date.now();
    const outcome = await send(specs);
    const after = Date.now();
    expect(outcome).toEqual({ drained: true, sent: specs.length, failed: 0, dropped: 0, errors: [] });

    const batches = collector.batches.splice(0);
    const events = batches.flatMap((batch) => batch.body.events);
    expect(batches.flatMap((batch) => batch.verdicts).filter((verdict) => !verdict.valid)).toEqual([]);
    expect(events).toHaveLength(specs.length);
    for (const batch of batches) {
      expect(batch.headers['content-encoding']).toBe('gzip');
      expect(batch.headers['content-type']).toBe('application/json');
      expect(batch.headers['authorization']).toBe(`Bearer ${WRITE_KEY}`);
      expect(batch.body.payload_version).toBe(1);
      expect(batch.body.sent_ts).toBeGreaterThanOrEqual(before);
      expect(batch.body.sent_ts).toBeLessThanOrEqual(after);
    }
    specs.forEach((spec, index) => {
      const event = events[index] as Record<string, unknown>;
      const version = model.events.find((candidate) => candidate.name === spec.event)?.version;
      expect(Object.keys(event).sort()).toEqual(['created_ts', 'data', 'event_id', 'event_name', 'event_version', 'stack_ctx']);
      expect(event['event_id']).toMatch(UUID7);
      expect(event['event_name']).toBe(spec.event);
      expect(event['event_version']).toBe(version);
      expect(event['created_ts']).toBeGreaterThanOrEqual(before);
      expect(event['created_ts']).toBeLessThanOrEqual(after);
      expect(event['data']).toEqual(spec.data);
      expect(event['stack_ctx']).toEqual({ langpack: 'python', langpack_version: model.packageVersion });
    });
    expect(new Set(events.map((event) => event['event_id'])).size).toBe(events.length);
  });

  test('retries 503s with the same event ids until the collector accepts the batch', async () => {
    const spec = everyEvent().slice(0, 2);
    collector.failNext(2, 503);
    const outcome = await send(spec);
    expect(outcome).toMatchObject({ drained: true, sent: 2, failed: 0, errors: [] });
    const batches = collector.batches.splice(0);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.verdicts.every((verdict) => verdict.valid)).toBe(true);
  });

  test('does not retry a 4xx and reports it', async () => {
    collector.failNext(1, 413);
    const outcome = await send(everyEvent().slice(0, 3));
    expect(outcome).toMatchObject({ drained: true, sent: 0, failed: 3 });
    expect(outcome.errors).toHaveLength(1);
    expect(outcome.errors[0]).toContain('HTTP 413');
    expect(collector.batches.splice(0)).toHaveLength(0);
  });

  test("the README's usage example runs as written against the collector", async () => {
    const readme = readFileSync(path.join(langpack, 'README.md'), 'utf8');
    const example = /## Use\n\n```python\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const script = path.join(root, 'readme_example.py');
    writeFileSync(script, (example as string).replace('"<write key>"', JSON.stringify(WRITE_KEY)).replace('https://collector.example.com', collector.url));
    const result = await run(PYTHON, [script], { cwd: root, env: pythonEnv([langpack]) });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const batches = collector.batches.splice(0);
    expect(batches.flatMap((batch) => batch.verdicts)).toEqual([expect.objectContaining({ valid: true })]);
  });
});
