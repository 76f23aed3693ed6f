import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { packageNames, type GeneratedFile, type LangpackModel } from '@tagplan/codegen-core';
import { buildArchive, goProxyEntries, type ArchiveEntry } from '@tagplan/codegen-packaging';

const run = promisify(execFile);

/**
 * Each archive must install with its ecosystem's own tool from the file alone. These use
 * tiny packages so that they test the archive formats, not a generator.
 */
const model = { packageVersion: '0.1.3', environment: { name: 'web-frontend', version: 3 } } as LangpackModel;
const names = packageNames('web-frontend');
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'tagplan-archives-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function materialize(directory: string, entries: ArchiveEntry[]): Promise<void> {
  for (const entry of entries) {
    await mkdir(path.dirname(path.join(directory, entry.path)), { recursive: true });
    await writeFile(path.join(directory, entry.path), entry.content);
  }
}

test('the same files always give the same archive bytes', async () => {
  const files: GeneratedFile[] = [{ path: 'package.json', content: '{}\n' }, { path: 'README.md', content: '# x\n' }];
  const first = await buildArchive('npm', files, model, names);
  const second = await buildArchive('npm', files, model, names);
  expect(first.content.equals(second.content)).toBe(true);
  const zipped = await Promise.all([buildArchive('composer', files, model, names), buildArchive('composer', files, model, names)]);
  expect(zipped[0].content.equals(zipped[1].content)).toBe(true);
});

test('npm installs the tarball', async () => {
  const files: GeneratedFile[] = [
    { path: 'package.json', content: JSON.stringify({ name: names.npm, version: '0.1.3', type: 'module', exports: './index.js' }) },
    { path: 'index.js', content: 'export const answer = 42;\n' },
    { path: `deep/${'nested/'.repeat(20)}long-path-file.js`, content: 'export {};\n' },
  ];
  const archive = await buildArchive('npm', files, model, names);
  expect(archive.fileName).toBe('acme-tagplan-web-frontend-0.1.3.tgz');
  const project = path.join(work, 'npm-project');
  await mkdir(project);
  await writeFile(path.join(project, 'package.json'), '{"name": "consumer", "version": "1.0.0", "type": "module"}');
  await writeFile(path.join(project, archive.fileName), archive.content);
  await run('npm', ['install', '--no-audit', '--no-fund', '--offline', `./${archive.fileName}`], { cwd: project });
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', `import { answer } from '${names.npm}'; console.log(answer)`], { cwd: project });
  expect(stdout.trim()).toBe('42');
  expect(await readFile(path.join(project, 'node_modules', names.npm, 'deep', ...Array(20).fill('nested'), 'long-path-file.js'), 'utf8')).toBe('export {};\n');
}, 120_000);

test('pip installs the wheel and the sdist carries PKG-INFO', async () => {
  const files: GeneratedFile[] = [
    { path: 'pyproject.toml', content: `[project]\nname = "${names.python}"\nversion = "0.1.3"\ndescription = "Typed events"\n` },
    { path: 'README.md', content: '# Events\n' },
    { path: `src/${names.pythonModule}/__init__.py`, content: 'ANSWER = 42\n' },
    { path: `src/${names.pythonModule}/py.typed`, content: '' },
  ];
  const wheel = await buildArchive('wheel', files, model, names);
  expect(wheel.fileName).toBe('acme_tagplan_web_frontend-0.1.3-py3-none-any.whl');
  const target = path.join(work, 'site');
  await writeFile(path.join(work, wheel.fileName), wheel.content);
  await run('python3', ['-m', 'pip', 'install', '--no-index', '--no-deps', '--target', target, path.join(work, wheel.fileName)]);
  const { stdout } = await run('python3', ['-c', `import ${names.pythonModule} as m; print(m.ANSWER)`], { env: { ...process.env, PYTHONPATH: target } });
  expect(stdout.trim()).toBe('42');
  const sdist = await buildArchive('sdist', files, model, names);
  await writeFile(path.join(work, sdist.fileName), sdist.content);
  const { stdout: listing } = await run('tar', ['-tzf', path.join(work, sdist.fileName)]);
  expect(listing.split('\n')).toEqual(expect.arrayContaining(['acme_tagplan_web_frontend-0.1.3/PKG-INFO', 'acme_tagplan_web_frontend-0.1.3/pyproject.toml']));
}, 120_000);

test('composer installs the zip from an artifact repository', async () => {
  const files: GeneratedFile[] = [
    { path: 'composer.json', content: JSON.stringify({ name: names.composer, type: 'library', require: { php: '>=8.1' }, autoload: { 'psr-4': { 'Acme\\Tagplan\\WebFrontend\\': 'src/' } } }) },
    { path: 'src/Answer.php', content: '<?php\n\nnamespace Acme\\Tagplan\\WebFrontend;\n\nfinal class Answer\n{\n    public const VALUE = 42;\n}\n' },
  ];
  const archive = await buildArchive('composer', files, model, names);
  const artifacts = path.join(work, 'artifacts');
  const project = path.join(work, 'composer-project');
  await mkdir(artifacts);
  await mkdir(project);
  await writeFile(path.join(artifacts, archive.fileName), archive.content);
  await writeFile(
    path.join(project, 'composer.json'),
    JSON.stringify({ repositories: [{ type: 'artifact', url: artifacts }, { 'packagist.org': false }], require: { [names.composer]: '0.1.3' } }),
  );
  const env = { ...process.env, COMPOSER_HOME: path.join(work, 'composer-home'), COMPOSER_NO_INTERACTION: '1' };
  await run('composer', ['install', '--no-progress'], { cwd: project, env });
  const { stdout } = await run('php', ['-r', "require 'vendor/autoload.php'; echo Acme\\Tagplan\\WebFrontend\\Answer::VALUE;"], { cwd: project });
  expect(stdout.trim()).toBe('42');
}, 120_000);

test('go gets the module from a GOPROXY=file:// layout', async () => {
  const goMod = `module ${names.goModule}\n\ngo 1.21\n`;
  const files: GeneratedFile[] = [
    { path: 'go.mod', content: goMod },
    { path: 'answer.go', content: `package ${names.goPackage}\n\n// Answer is the answer.\nconst Answer = 42\n` },
  ];
  const archive = await buildArchive('go-module', files, model, names);
  const proxy = path.join(work, 'goproxy');
  await materialize(proxy, goProxyEntries(names.goModule, 'v0.1.3', goMod, archive.content));
  const project = path.join(work, 'go-project');
  await mkdir(project);
  await writeFile(path.join(project, 'go.mod'), 'module consumer\n\ngo 1.21\n');
  await writeFile(path.join(project, 'main.go'), `package main\n\nimport (\n\t"fmt"\n\n\tevents "${names.goModule}"\n)\n\nfunc main() { fmt.Println(events.Answer) }\n`);
  const env = { ...process.env, GOPROXY: `file://${proxy}`, GOSUMDB: 'off', GOFLAGS: '-mod=mod', GOMODCACHE: path.join(work, 'gomodcache'), GOTOOLCHAIN: 'local' };
  await run('go', ['get', `${names.goModule}@v0.1.3`], { cwd: project, env });
  const { stdout } = await run('go', ['run', '.'], { cwd: project, env });
  expect(stdout.trim()).toBe('42');
}, 180_000);
