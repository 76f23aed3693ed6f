import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { applyFilesInMemory, formatIssues, InMemoryCatalog, parseSnapshot } from '@tagplan/catalog';
import { DEFAULT_PACKAGE_NAMING, writeGeneratedFiles, type PackageNaming } from '@tagplan/codegen-core';
import { readCatalogFile } from './apply.command';
import { parseEntityRef, type EntityRef } from '../entity-ref';
import { clientFor, CliError, emit, progress } from '../output';

interface GenerateOptions {
  env: string[];
  lang: string;
  out: string;
  catalog?: string[];
  snapshot?: string;
  prefix: string;
  goModule: string;
  archive?: boolean;
}

/** `tagplan generate`: langpacks for environment versions, into DIR/<language>/<environment>/. */
export function generateCommand(): Command {
  return new Command('generate')
    .description('generate langpacks (typed SDKs) for environment versions into DIR/<language>/<environment>/')
    .requiredOption('-e, --env <environment...>', 'NAME (latest version) or NAME@VERSION; several, or "all"')
    .option('-l, --lang <languages>', 'comma-separated: ts, php, go, python, or all', 'all')
    .requiredOption('-o, --out <dir>', 'output folder')
    .option('--catalog <files...>', 'build the catalog from these catalog files (applied in order) instead of asking the registry')
    .option('--snapshot <file>', 'use a snapshot (tagplan export --snapshot) instead of asking the registry')
    .option('--prefix <prefix>', 'package name prefix: @PREFIX/tagplan-ENV, PREFIX/tagplan-ENV, PREFIX-tagplan-ENV', DEFAULT_PACKAGE_NAMING.prefix)
    .option('--go-module <base>', 'Go module path base: BASE/envname', DEFAULT_PACKAGE_NAMING.goModuleBase)
    .option('--archive', 'write the installable archive (npm tarball, Composer zip, Go module zip, wheel) instead of the sources')
    .action(async (options: GenerateOptions, command: Command) => {
      // Loaded here: the four generators are needed by this command only.
      const { buildLangpackModel, generateLangpack, langpackArchive, parseLanguages } = await import('@tagplan/langpacks');
      const languages = parseLanguages(options.lang);
      const naming: PackageNaming = { prefix: options.prefix, goModuleBase: options.goModule };
      const catalog = await loadCatalog(options, command);
      const environments = options.env.flatMap((text) => text.split(',')).flatMap((text) =>
        text === 'all' ? catalog.names('environment').map((name): EntityRef => ({ name })) : [parseEntityRef(text.trim(), false)],
      );
      const show = progress(command);
      const written: { language: string; environment: string; version: string; path: string; files: number }[] = [];
      for (const environment of environments) {
        const model = buildLangpackModel(catalog, environment.name, environment.version);
        for (const language of languages) {
          show(`generating ${language} for ${environment.name}@${model.environment.version}…`);
          if (options.archive) {
            const archive = await langpackArchive(language, model, { naming });
            const target = path.join(options.out, language, archive.fileName);
            await mkdir(path.dirname(target), { recursive: true });
            await writeFile(target, archive.content);
            written.push({ language, environment: environment.name, version: model.packageVersion, path: target, files: 1 });
          } else {
            const files = generateLangpack(language, model, { naming });
            const target = path.join(options.out, language, environment.name);
            await writeGeneratedFiles(target, files);
            written.push({ language, environment: environment.name, version: model.packageVersion, path: target, files: files.length });
          }
        }
      }
      show('');
      emit(command, written, () => written.map((entry) => `${entry.language.padEnd(10)} ${entry.environment}@${entry.version}  ${entry.path}${options.archive ? '' : ` (${entry.files} files)`}`));
    });
}

async function loadCatalog(options: GenerateOptions, command: Command): Promise<InMemoryCatalog> {
  if (options.catalog && options.snapshot) throw new CliError('use --catalog or --snapshot, not both', 2);
  if (options.catalog) {
    const files = await Promise.all(options.catalog.map(async (name) => ({ name, content: await readCatalogFile(name) })));
    const catalog = applyFilesInMemory(files);
    if (!catalog.ok) throw new CliError(`the catalog files are invalid:\n${formatIssues(catalog.issues)}`);
    return catalog.value;
  }
  let snapshotInput: unknown;
  if (options.snapshot) {
    try {
      snapshotInput = JSON.parse(await readFile(options.snapshot, 'utf8'));
    } catch (error) {
      throw new CliError(`cannot read the snapshot ${options.snapshot}: ${(error as Error).message}`);
    }
  } else {
    snapshotInput = await clientFor(command).snapshot();
  }
  const snapshot = parseSnapshot(snapshotInput);
  if (!snapshot.ok) throw new CliError(`not a usable snapshot:\n${formatIssues(snapshot.issues)}`);
  return new InMemoryCatalog(snapshot.value.versions);
}
