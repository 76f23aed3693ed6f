import path from 'node:path';
import { buildTypescriptView } from '@tagplan/codegen-typescript';
import { demoCatalog, startSchemaCheckingCollector, type SchemaCheckingCollector } from '@tagplan/codegen-testing';
import { schemasFromCatalog } from '@tagplan/json-schema';
import type { LangpackModel } from '@tagplan/codegen-core';
import { FIXTURES, installLangpack, runNodeJson, temporaryDirectory } from './support';

const ENVIRONMENT = 'web-frontend';
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * The demo web-frontend langpack sends one of each of its events, every field set from
 * the catalog's examples, with its real client to a stand-in collector that checks each
 * event with ajv against the registry's JSON Schema.
 */
describe('end to end: the web-frontend langpack to a schema-checking collector', () => {
  let collector: SchemaCheckingCollector;
  let model: LangpackModel;
  let report: { started: number; finished: number; stats: Record<string, number>; errors: unknown[] };
  let expected: { event_name: string; event_version: number; data: Record<string, unknown> }[];
  let remove: () => Promise<void>;

  beforeAll(async () => {
    const root = await temporaryDirectory('e2e');
    remove = root.remove;
    const catalog = demoCatalog();
    const installed = await installLangpack(root.path, catalog, ENVIRONMENT);
    model = installed.model;
    collector = await startSchemaCheckingCollector(schemasFromCatalog(catalog, ENVIRONMENT));
    const view = buildTypescriptView(model);
    const events = model.events.map((event, index) => {
      const init: Record<string, unknown> = {};
      const data: Record<string, unknown> = {};
      for (const [fieldIndex, field] of event.fields.entries()) {
        if (field.examples.length === 0) {
          if (field.required) throw new Error(`the demo catalog has no example for ${event.name}.${field.name}`);
          continue;
        }
        init[view.events[index]?.fields[fieldIndex]?.property as string] = field.examples[0];
        data[field.name] = field.examples[0];
      }
      return { className: view.events[index]?.className as string, init, wire: { event_name: event.name, event_version: event.version, data } };
    });
    expected = events.map((event) => event.wire);
    report = await runNodeJson([
      path.join(FIXTURES, 'e2e-driver.mjs'),
      JSON.stringify({ directory: installed.directory, url: collector.url, writeKey: 'test-write-key', batchSize: 4, events: events.map(({ className, init }) => ({ className, init })) }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await collector?.close();
    await remove?.();
  });

  test('every event reaches the collector and is valid against the JSON Schema', () => {
    expect(report.errors).toEqual([]);
    expect(report.stats).toMatchObject({ sent: model.events.length, failed: 0, dropped: 0 });
    const verdicts = collector.batches.flatMap((batch) => batch.verdicts);
    expect(verdicts).toHaveLength(model.events.length);
    for (const verdict of verdicts) expect(verdict).toMatchObject({ valid: true, violations: [] });
  });

  test('batches are gzip-compressed, authenticated and in the wire format', () => {
    const sizes: number[] = [];
    for (let left = model.events.length; left > 0; left -= 4) sizes.push(Math.min(4, left));
    expect(collector.batches.map((batch) => batch.body.events.length)).toEqual(sizes);
    for (const batch of collector.batches) {
      expect(batch.headers['content-encoding']).toBe('gzip');
      expect(batch.headers['content-type']).toBe('application/json');
      expect(batch.body.payload_version).toBe(1);
      expect(batch.body.sent_ts).toBeGreaterThanOrEqual(report.started);
      expect(batch.body.sent_ts).toBeLessThanOrEqual(report.finished);
    }
  });

  test('each event carries a UUIDv7, its creation time, its data and the langpack it came from', () => {
    const events = collector.batches.flatMap((batch) => batch.body.events);
    expect(events.map(({ event_name, event_version, data }) => ({ event_name, event_version, data }))).toEqual(expected);
    for (const event of events) {
      expect(event['event_id']).toMatch(UUID_V7);
      expect(event['created_ts']).toBeGreaterThanOrEqual(report.started);
      expect(event['created_ts']).toBeLessThanOrEqual(report.finished);
      expect(event['stack_ctx']).toEqual({ langpack: 'typescript', langpack_version: model.packageVersion });
    }
    expect(new Set(events.map((event) => event['event_id'])).size).toBe(events.length);
  });
});
