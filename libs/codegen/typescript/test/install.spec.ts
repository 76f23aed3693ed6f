import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildLangpackModel, writeGeneratedFiles } from '@tagplan/codegen-core';
import { demoCatalog } from '@tagplan/codegen-testing';
import { generateTypescript } from '@tagplan/codegen-typescript';
import { run, temporaryDirectory } from './support';

/**
 * The langpack installs with npm's own tool from a packed tarball, with no registry
 * (it has no dependencies), and imports from plain JavaScript without a build step.
 */
describe('installing the TypeScript langpack with npm', () => {
  test('npm pack, then npm install ./x.tgz --offline, then import from an .mjs file', async () => {
    const root = await temporaryDirectory('install');
    try {
      const model = buildLangpackModel(demoCatalog(), 'backend-items');
      const source = path.join(root.path, 'langpack');
      await writeGeneratedFiles(source, generateTypescript(model));
      const npm = (args: string[], cwd: string) => run('npm', [...args, '--cache', path.join(root.path, 'npm-cache'), '--no-audit', '--no-fund', '--loglevel=error'], { cwd });

      const packed = await npm(['pack', source, '--pack-destination', root.path], root.path);
      expect(packed.stderr.replace(/npm warn Unknown user config.*\n?/g, '')).toBe('');
      expect(packed.code).toBe(0);
      const tarball = (await readdir(root.path)).find((name) => name.endsWith('.tgz'));
      expect(tarball).toBe(`acme-tagplan-backend-items-${model.packageVersion}.tgz`);

      const project = path.join(root.path, 'app');
      await writeGeneratedFiles(project, [{ path: 'package.json', content: JSON.stringify({ name: 'app', private: true, type: 'module' }) }]);
      const installed = await npm(['install', `../${tarball as string}`, '--offline'], project);
      expect(installed.code).toBe(0);

      await writeFile(
        path.join(project, 'check.mjs'),
        [
          "import * as langpack from '@acme/tagplan-backend-items';",
          "import { createRequire } from 'node:module';",
          "const manifest = createRequire(import.meta.url)('@acme/tagplan-backend-items/package.json');",
          'const events = Object.values(langpack).filter((value) => typeof value === "function" && typeof value.eventName === "string").map((value) => value.eventName);',
          'console.log(JSON.stringify({ version: manifest.version, langpackVersion: langpack.LANGPACK_VERSION, environment: langpack.ENVIRONMENT, events: events.sort(), unknown: langpack.validateEvent("nope", {})[0].rule }));',
        ].join('\n'),
      );
      const checked = await run(process.execPath, ['check.mjs'], { cwd: project });
      expect(checked.stderr).toBe('');
      expect(JSON.parse(checked.stdout)).toEqual({
        version: model.packageVersion,
        langpackVersion: model.packageVersion,
        environment: 'backend-items',
        events: model.events.map((event) => event.name).sort(),
        unknown: 'event_name',
      });
    } finally {
      await root.remove();
    }
  }, 180_000);
});
