import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { startTestRegistry } from '../../registry/test/support/test-registry';
import { cliFor, closedPortUrl, jsonOf, runCli, tempFolder } from './support/cli';

type Started = Awaited<ReturnType<typeof startTestRegistry>>;
type Folder = Awaited<ReturnType<typeof tempFolder>>;

const SESSION = '0f8fad5b-d9cb-469f-a165-70867728950e';

function line(event_name: string, event_version: number, data: Record<string, unknown>): string {
  return JSON.stringify({ event_name, event_version, data });
}

const viewed = (data: Record<string, unknown>, version = 1) => line('item_viewed', version, { user_id: 'u-42', item_id: 1001, session_id: SESSION, ...data });

/** `tagplan validate`: event data checked as the collector would, with line numbers. */
describe('tagplan validate', () => {
  let registry: Started;
  let folder: Folder;
  let tagplan: ReturnType<typeof cliFor>;
  let validFile: string;
  let invalidFile: string;
  let snapshotFile: string;

  beforeAll(async () => {
    registry = await startTestRegistry({ mode: 'embedded' });
    tagplan = cliFor(registry, registry.adminToken);
    folder = await tempFolder('tagplan-cli-validate-');
    const catalog = parse(await readFile(path.join(__dirname, 'fixtures', 'catalog.yaml'), 'utf8'));
    // web-frontend@1 sends item_viewed@1; web-frontend@2 sends item_viewed@2 (item ids from 10) and item_shared@1.
    const first = await tagplan(['apply', await folder.write('v1.yaml', stringify(catalog))]);
    expect(first.code).toBe(0);
    catalog.message = 'Item ids start at 10; sharing';
    catalog.fields.item_id.minimum = 10;
    catalog.fields.channel = { type: 'string', enum: ['email', 'whatsapp', 'copy_link'] };
    catalog.events.item_shared = { owner: 'team-items', description: 'A user shared an item', fields: { item_id: 'required', channel: 'required' } };
    catalog.environments['web-frontend'].events.push('item_shared');
    const second = await tagplan(['apply', await folder.write('v2.yaml', stringify(catalog))]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('~ environment web-frontend@2');

    validFile = await folder.write(
      'valid.jsonl',
      [
        viewed({}),
        viewed({ source: 'search', tags: ['vintage', 'wood'] }),
        '',
        viewed({ item_id: 5 }), // item_viewed@1 allows item ids below 10
        viewed({ item_id: 10 }, 2),
        line('item_shared', 1, { item_id: 12, channel: 'whatsapp', session_id: SESSION }),
      ].join('\n') + '\n',
    );
    invalidFile = await folder.write(
      'invalid.jsonl',
      [
        viewed({}),
        '{"event_name": "item_viewed", "event_version": 1, "data": {',
        line('item_liked', 1, { user_id: 'u-42' }),
        line('item_viewed', 7, { user_id: 'u-42' }),
        line('item_viewed', 1, { user_id: 'u-42', session_id: SESSION }),
        viewed({ colour: 'red' }),
        viewed({ source: 'television' }),
        '',
        viewed({ item_id: 5 }, 2),
      ].join('\n') + '\n',
    );
    snapshotFile = path.join(folder.path, 'snapshot.json');
    const snapshot = await tagplan(['export', '--snapshot', '--out', snapshotFile]);
    expect(snapshot.code).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await registry?.close();
    await registry?.destroy();
    await folder?.remove();
  }, 60_000);

  test('valid lines: a summary and exit 0', async () => {
    const result = await tagplan(['validate', '--env', 'web-frontend', validFile]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('5 event(s) checked: 5 valid, 0 invalid\n');
  }, 60_000);

  /** What each invalid line must say, by line number. */
  const expectedErrors: [number, RegExp][] = [
    [2, /:2: not valid JSON/],
    [3, /item_liked.*unknown event/],
    [4, /item_viewed@7: .*version 7/],
    [5, /item_viewed@1: .*item_id.*required/],
    [6, /item_viewed@1: .*colour/],
    [7, /item_viewed@1: .*source.*(search|one of)/],
    [9, /item_viewed@2: .*item_id.*10/],
  ];

  test('invalid lines: readable errors as FILE:LINE: ..., and exit 1', async () => {
    const result = await tagplan(['validate', '--env', 'web-frontend', invalidFile]);
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[lines.length - 1]).toBe('8 event(s) checked: 1 valid, 7 invalid');
    const errors = lines.slice(0, -1);
    for (const error of errors) expect(error).toMatch(new RegExp(`^${escape(invalidFile)}:\\d+: `));
    const numbers = [...new Set(errors.map((error) => Number(error.slice(invalidFile.length + 1).split(':')[0])))];
    expect(numbers).toEqual(expectedErrors.map(([number]) => number));
    for (const [number, pattern] of expectedErrors) {
      expect(errors.filter((error) => error.startsWith(`${invalidFile}:${number}: `)).join('\n')).toMatch(pattern);
    }
  }, 60_000);

  test('--json gives every invalid line with its violations', async () => {
    const result = await tagplan(['--json', 'validate', '--env', 'web-frontend', invalidFile]);
    expect(result.code).toBe(1);
    const report = jsonOf(result);
    expect(report).toMatchObject({ lines: 8, valid: 1, invalid: 7 });
    expect(report.invalid_lines.map((entry: any) => entry.line)).toEqual(expectedErrors.map(([number]) => number));
    const missing = report.invalid_lines.find((entry: any) => entry.line === 5);
    expect(missing).toMatchObject({ event_name: 'item_viewed', event_version: 1, valid: false });
    expect(missing.violations).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/item_id', rule: 'required' })]));
    const extra = report.invalid_lines.find((entry: any) => entry.line === 6);
    expect(JSON.stringify(extra.violations)).toContain('colour');
    for (const entry of report.invalid_lines) {
      expect(entry.violations.length).toBeGreaterThan(0);
      for (const violation of entry.violations) expect(typeof violation.message).toBe('string');
    }
  }, 60_000);

  test('--env NAME@VERSION checks against that environment version only', async () => {
    const shared = await folder.write('shared.jsonl', `${line('item_shared', 1, { item_id: 12, channel: 'email', session_id: SESSION })}\n${viewed({ item_id: 5 })}\n`);
    const first = await tagplan(['validate', '--env', 'web-frontend@1', shared]);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(new RegExp(`^${escape(shared)}:1: item_shared@1: `, 'm'));
    expect(first.stdout).not.toContain(`${shared}:2:`);
    const second = await tagplan(['validate', '--env', 'web-frontend@2', shared]);
    expect(second.code).toBe(1);
    expect(second.stdout).not.toContain(`${shared}:1:`);
    expect(second.stdout).toMatch(new RegExp(`^${escape(shared)}:2: item_viewed@1: `, 'm'));
    const every = await tagplan(['validate', '--env', 'web-frontend', shared]);
    expect(every.code).toBe(0);
  }, 60_000);

  test('reads standard input with -', async () => {
    const valid = await tagplan(['validate', '--env', 'web-frontend', '-'], { input: `${viewed({})}\n${viewed({ source: 'feed' })}\n` });
    expect(valid.code).toBe(0);
    expect(valid.stdout).toBe('2 event(s) checked: 2 valid, 0 invalid\n');
    const invalid = await tagplan(['validate', '--env', 'web-frontend', '-'], { input: `${viewed({})}\n${viewed({ source: 'radio' })}\n` });
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toMatch(/^-:2: item_viewed@1: .*source/m);
  }, 60_000);

  test('--snapshot works with no registry at all', async () => {
    const nowhere = await closedPortUrl();
    const withRegistry = await tagplan(['validate', '--env', 'web-frontend', invalidFile]);
    const offline = await runCli(['--url', nowhere, 'validate', '--env', 'web-frontend', '--snapshot', snapshotFile, invalidFile]);
    expect(offline.stderr).toBe('');
    expect(offline.code).toBe(1);
    expect(offline.stdout).toBe(withRegistry.stdout);
    const valid = await runCli(['--url', nowhere, 'validate', '--env', 'web-frontend@2', '--snapshot', snapshotFile, '-'], { input: `${viewed({ item_id: 10 }, 2)}\n` });
    expect(valid.code).toBe(0);
    expect(valid.stdout).toBe('1 event(s) checked: 1 valid, 0 invalid\n');
    // Without the snapshot the same command needs the registry, and says it cannot reach it.
    const unreachable = await runCli(['--url', nowhere, 'validate', '--env', 'web-frontend', validFile]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(`cannot reach the registry at ${nowhere}`);
  }, 60_000);

  test('a file that is not a snapshot is refused', async () => {
    const notSnapshot = await folder.write('not-a-snapshot.json', '{"fields": {}}');
    const result = await runCli(['--url', await closedPortUrl(), 'validate', '--env', 'web-frontend', '--snapshot', notSnapshot, validFile]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(notSnapshot);
    expect(result.stderr).toContain('format');
  }, 60_000);

  test('an unknown environment or environment version: exit 1 with the reason', async () => {
    const unknown = await tagplan(['validate', '--env', 'android-app', validFile]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('android-app');
    const version = await tagplan(['validate', '--env', 'web-frontend@9', validFile]);
    expect(version.code).toBe(1);
    expect(version.stderr).toMatch(/web-frontend.*9|9.*web-frontend/);
    const offline = await runCli(['--url', await closedPortUrl(), 'validate', '--env', 'web-frontend@9', '--snapshot', snapshotFile, validFile]);
    expect(offline.code).toBe(1);
    expect(offline.stderr).toMatch(/web-frontend.*9|9.*web-frontend/);
  }, 60_000);

  test('a missing file: exit 1 with the reason', async () => {
    const missing = path.join(folder.path, 'missing.jsonl');
    const result = await tagplan(['validate', '--env', 'web-frontend', missing]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot read ${missing}`);
  }, 60_000);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
