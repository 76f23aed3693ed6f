import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { goProxyEntries } from '@tagplan/codegen-packaging';
import { startTestRegistry } from './support/test-registry';

const run = promisify(execFile);

/**
 * DESIGN §2/§5: the registry serves each langpack as the file its ecosystem installs from,
 * and each installs with the language's own tool from that file alone.
 */
describe('GET /api/environments/{name}/versions/{version}/langpacks/{language}', () => {
  let registry: Awaited<ReturnType<typeof startTestRegistry>>;
  let work: string;

  beforeAll(async () => {
    registry = await startTestRegistry({ mode: 'embedded', config: { seedDemo: true } });
    work = await mkdtemp(path.join(os.tmpdir(), 'tagplan-langpacks-'));
  }, 120_000);

  afterAll(async () => {
    await registry?.close();
    await registry?.destroy();
    await rm(work, { recursive: true, force: true });
  });

  async function download(language: string, query = ''): Promise<{ file: string; name: string; headers: Headers }> {
    const response = await fetch(`${registry.url}/api/environments/web-frontend/versions/4/langpacks/${language}${query}`);
    expect(response.status).toBe(200);
    const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? '';
    const file = path.join(work, name);
    await writeFile(file, Buffer.from(await response.arrayBuffer()));
    return { file, name, headers: response.headers };
  }

  test('npm installs the TypeScript langpack from the tarball', async () => {
    const { file, name, headers } = await download('typescript');
    expect(name).toBe('acme-tagplan-web-frontend-0.1.4.tgz');
    expect(headers.get('content-type')).toContain('application/gzip');
    expect(headers.get('cache-control')).toContain('immutable');
    const project = path.join(work, 'npm');
    await mkdir(project);
    await writeFile(path.join(project, 'package.json'), '{"name": "consumer", "version": "1.0.0", "type": "module"}');
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', file], { cwd: project });
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', "import * as pack from '@acme/tagplan-web-frontend'; console.log(pack.LANGPACK_VERSION)"], { cwd: project });
    expect(stdout.trim()).toBe('0.1.4');
  }, 120_000);

  test('pip installs the Python langpack from the wheel, and the sdist is served on request', async () => {
    const { file, name } = await download('python');
    expect(name).toBe('acme_tagplan_web_frontend-0.1.4-py3-none-any.whl');
    const target = path.join(work, 'site');
    await run('python3', ['-m', 'pip', 'install', '--no-index', '--no-deps', '--target', target, file]);
    const { stdout } = await run('python3', ['-c', 'import acme_tagplan_web_frontend as pack; print(pack.validate_event("page_viewed", {}) != [])'], { env: { ...process.env, PYTHONPATH: target } });
    expect(stdout.trim()).toBe('True');
    const sdist = await download('python', '?format=sdist');
    expect(sdist.name).toBe('acme_tagplan_web_frontend-0.1.4.tar.gz');
  }, 120_000);

  test('Composer installs the PHP langpack from an artifact repository', async () => {
    const { file } = await download('php');
    const artifacts = path.join(work, 'artifacts');
    const project = path.join(work, 'composer');
    await mkdir(artifacts);
    await mkdir(project);
    await run('cp', [file, artifacts]);
    await writeFile(path.join(project, 'composer.json'), JSON.stringify({ repositories: [{ type: 'artifact', url: artifacts }, { 'packagist.org': false }], require: { 'acme/tagplan-web-frontend': '0.1.4' } }));
    await run('composer', ['install', '--no-progress', '--no-interaction'], { cwd: project, env: { ...process.env, COMPOSER_HOME: path.join(work, 'composer-home') } });
    const { stdout } = await run('php', ['-r', "require 'vendor/autoload.php'; echo count(Acme\\Tagplan\\WebFrontend\\Validator::validate('page_viewed', new stdClass())) > 0 ? 'checked' : 'not checked';"], { cwd: project });
    expect(stdout.trim()).toBe('checked');
  }, 120_000);

  test('go gets the Go langpack from a GOPROXY=file:// layout made of the module zip', async () => {
    const { file, name } = await download('go');
    expect(name).toBe('v0.1.4.zip');
    const module = 'example.com/tagplan/webfrontend';
    const { stdout: goMod } = await run('python3', ['-c', 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())', file, `${module}@v0.1.4/go.mod`]);
    const proxy = path.join(work, 'goproxy');
    for (const entry of goProxyEntries(module, 'v0.1.4', goMod, await readFile(file))) {
      await mkdir(path.dirname(path.join(proxy, entry.path)), { recursive: true });
      await writeFile(path.join(proxy, entry.path), entry.content);
    }
    const project = path.join(work, 'go');
    await mkdir(project);
    await writeFile(path.join(project, 'go.mod'), 'module consumer\n\ngo 1.21\n');
    await writeFile(path.join(project, 'main.go'), `package main\n\nimport (\n\t"fmt"\n\n\twebfrontend "${module}"\n)\n\nfunc main() { fmt.Println(len(webfrontend.Validate("page_viewed", map[string]any{})) > 0) }\n`);
    const env = { ...process.env, GOPROXY: `file://${proxy}`, GOSUMDB: 'off', GOFLAGS: '-mod=mod', GOMODCACHE: path.join(work, 'gomodcache'), GOTOOLCHAIN: 'local' };
    await run('go', ['get', `${module}@v0.1.4`], { cwd: project, env });
    const { stdout } = await run('go', ['run', '.'], { cwd: project, env });
    expect(stdout.trim()).toBe('true');
  }, 180_000);

  test('bad requests are 4xx with a reason', async () => {
    expect((await registry.call('GET', '/api/environments/web-frontend/versions/4/langpacks/cobol')).status).toBe(400);
    expect((await registry.call('GET', '/api/environments/web-frontend/versions/4/langpacks/typescript?format=wheel')).status).toBe(400);
    expect((await registry.call('GET', '/api/environments/web-frontend/versions/99/langpacks/go')).status).toBe(404);
  });
});
