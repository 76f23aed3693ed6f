import { createHash } from 'node:crypto';
import type { GeneratedFile, LangpackModel, PackageNames } from '@tagplan/codegen-core';
import { FIXED_MTIME, tarGz, type ArchiveEntry } from './tarball';
import { zip } from './zip';

export const LANGUAGES = ['typescript', 'php', 'go', 'python'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The installable forms of a langpack, each what its ecosystem's own tool installs from a file. */
export type ArchiveFormat = 'npm' | 'composer' | 'go-module' | 'wheel' | 'sdist';

export const DEFAULT_FORMAT: Record<Language, ArchiveFormat> = { typescript: 'npm', php: 'composer', go: 'go-module', python: 'wheel' };
export const FORMATS: Record<Language, ArchiveFormat[]> = { typescript: ['npm'], php: ['composer'], go: ['go-module'], python: ['wheel', 'sdist'] };

export interface LangpackArchive {
  format: ArchiveFormat;
  fileName: string;
  contentType: string;
  content: Buffer;
}

export async function buildArchive(format: ArchiveFormat, files: GeneratedFile[], model: LangpackModel, names: PackageNames): Promise<LangpackArchive> {
  const version = model.packageVersion;
  switch (format) {
    case 'npm':
      // npm pack's layout: everything under package/.
      return {
        format,
        fileName: `${names.npm.replace(/^@/, '').replace('/', '-')}-${version}.tgz`,
        contentType: 'application/gzip',
        content: tarGz(files.map((file) => ({ path: `package/${file.path}`, content: file.content }))),
      };
    case 'composer':
      return { format, fileName: `${names.composer.replace('/', '-')}-${version}.zip`, contentType: 'application/zip', content: await zip(composerEntries(files, version)) };
    case 'go-module':
      return { format, fileName: `v${version}.zip`, contentType: 'application/zip', content: await goModuleZip(files, names.goModule, `v${version}`) };
    case 'wheel':
      return { format, fileName: `${wheelName(names.python)}-${version}-py3-none-any.whl`, contentType: 'application/zip', content: await wheel(files, names, version) };
    case 'sdist':
      return { format, fileName: `${wheelName(names.python)}-${version}.tar.gz`, contentType: 'application/gzip', content: sdist(files, names, version) };
  }
}

/** Composer's artifact repositories read the version from composer.json, so it is set there. */
function composerEntries(files: GeneratedFile[], version: string): ArchiveEntry[] {
  return files.map((file) => {
    if (file.path !== 'composer.json') return { path: file.path, content: file.content };
    const manifest = JSON.parse(file.content) as Record<string, unknown>;
    const withVersion: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(manifest)) {
      withVersion[key] = value;
      if (key === 'name' && manifest['version'] === undefined) withVersion['version'] = version;
    }
    return { path: file.path, content: `${JSON.stringify(withVersion, null, 4)}\n` };
  });
}

/** The module proxy's zip format: every file under `<module>@<version>/`. */
export function goModuleZip(files: GeneratedFile[], modulePath: string, version: string): Promise<Buffer> {
  return zip(files.map((file) => ({ path: `${modulePath}@${version}/${file.path}`, content: file.content })));
}

/**
 * The files of a GOPROXY=file:// layout serving one module version: what `go get` asks
 * a module proxy for (list, .info, .mod, .zip), under the escaped module path.
 */
export function goProxyEntries(modulePath: string, version: string, goMod: string, moduleZip: Buffer): ArchiveEntry[] {
  const base = `${escapeModulePath(modulePath)}/@v`;
  return [
    { path: `${base}/list`, content: `${version}\n` },
    { path: `${base}/${version}.info`, content: `${JSON.stringify({ Version: version, Time: FIXED_MTIME.toISOString() })}\n` },
    { path: `${base}/${version}.mod`, content: goMod },
    { path: `${base}/${version}.zip`, content: moduleZip },
  ];
}

/** Go's case-encoding of module paths: an upper-case letter becomes "!" and its lower case. */
export function escapeModulePath(modulePath: string): string {
  return modulePath.replace(/[A-Z]/g, (letter) => `!${letter.toLowerCase()}`);
}

/** PEP 427 / PEP 491: the distribution name with runs of -_. as "_". */
function wheelName(distribution: string): string {
  return distribution.replace(/[-_.]+/g, '_');
}

function pythonModuleFiles(files: GeneratedFile[], names: PackageNames): { root: string; files: GeneratedFile[] } {
  const marker = files.find((file) => file.path.endsWith(`${names.pythonModule}/py.typed`));
  if (!marker) throw new Error(`the Python langpack has no ${names.pythonModule}/py.typed`);
  const root = marker.path.slice(0, -'py.typed'.length - names.pythonModule.length - 1);
  return { root, files: files.filter((file) => file.path.startsWith(`${root}${names.pythonModule}/`)) };
}

/** Core metadata 2.1 from the project's own README and pyproject facts. */
function pythonMetadata(files: GeneratedFile[], names: PackageNames, version: string): string {
  const readme = files.find((file) => file.path === 'README.md')?.content ?? '';
  const pyproject = files.find((file) => file.path === 'pyproject.toml')?.content ?? '';
  const summary = /^description\s*=\s*"((?:[^"\\]|\\.)*)"/m.exec(pyproject)?.[1] ?? `Tagplan langpack ${names.python}`;
  return [
    'Metadata-Version: 2.1',
    `Name: ${names.python}`,
    `Version: ${version}`,
    `Summary: ${summary.replace(/\\"/g, '"')}`,
    'Requires-Python: >=3.9',
    'Classifier: Typing :: Typed',
    'Description-Content-Type: text/markdown',
    '',
    readme,
  ].join('\n');
}

async function wheel(files: GeneratedFile[], names: PackageNames, version: string): Promise<Buffer> {
  const { root, files: moduleFiles } = pythonModuleFiles(files, names);
  const distInfo = `${wheelName(names.python)}-${version}.dist-info`;
  const entries: ArchiveEntry[] = moduleFiles.map((file) => ({ path: file.path.slice(root.length), content: file.content }));
  entries.push(
    { path: `${distInfo}/METADATA`, content: pythonMetadata(files, names, version) },
    { path: `${distInfo}/WHEEL`, content: 'Wheel-Version: 1.0\nGenerator: tagplan\nRoot-Is-Purelib: true\nTag: py3-none-any\n' },
  );
  const record = entries.map((entry) => {
    const body = Buffer.from(entry.content);
    return `${entry.path},sha256=${createHash('sha256').update(body).digest('base64url')},${body.length}`;
  });
  entries.push({ path: `${distInfo}/RECORD`, content: `${[...record, `${distInfo}/RECORD,,`].join('\n')}\n` });
  return zip(entries);
}

function sdist(files: GeneratedFile[], names: PackageNames, version: string): Buffer {
  const base = `${wheelName(names.python)}-${version}`;
  const entries: ArchiveEntry[] = files.map((file) => ({ path: `${base}/${file.path}`, content: file.content }));
  entries.push({ path: `${base}/PKG-INFO`, content: pythonMetadata(files, names, version) });
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return tarGz(entries);
}
