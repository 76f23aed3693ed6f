import { CodegenError, DEFAULT_PACKAGE_NAMING, normalizeFiles, packageNames, type GeneratedFile, type LangpackModel, type PackageNaming } from '@tagplan/codegen-core';
import { generateGo } from '@tagplan/codegen-go';
import { buildArchive, DEFAULT_FORMAT, FORMATS, LANGUAGES, type ArchiveFormat, type Language, type LangpackArchive } from '@tagplan/codegen-packaging';
import { generatePhp } from '@tagplan/codegen-php';
import { generatePython } from '@tagplan/codegen-python';
import { generateTypescript } from '@tagplan/codegen-typescript';

/** Every language's generator behind one entry point: what the CLI and the registry call. */
const GENERATORS: Record<Language, (model: LangpackModel, naming: PackageNaming) => GeneratedFile[]> = {
  typescript: generateTypescript,
  php: generatePhp,
  go: generateGo,
  python: generatePython,
};

const ALIASES: Record<string, Language> = { ts: 'typescript', typescript: 'typescript', php: 'php', go: 'go', golang: 'go', py: 'python', python: 'python' };

/** `ts,php,go,python` (or `all`) as languages, rejecting unknown names with the list of known ones. */
export function parseLanguages(text: string): Language[] {
  if (text.trim() === 'all') return [...LANGUAGES];
  const languages = text.split(',').map((part) => part.trim().toLowerCase()).filter(Boolean);
  const unknown = languages.filter((language) => ALIASES[language] === undefined);
  if (unknown.length > 0 || languages.length === 0) {
    throw new CodegenError('unknown_language', `unknown language${unknown.length > 1 ? 's' : ''} ${unknown.join(', ') || '(none)'}: use ${Object.keys(ALIASES).join(', ')} or all`);
  }
  return [...new Set(languages.map((language) => ALIASES[language] as Language))];
}

export interface LangpackOptions {
  naming?: PackageNaming;
}

/** The files of one langpack, normalized (sorted, \n endings) so that output is byte-identical run to run. */
export function generateLangpack(language: Language, model: LangpackModel, options: LangpackOptions = {}): GeneratedFile[] {
  return normalizeFiles(GENERATORS[language](model, options.naming ?? DEFAULT_PACKAGE_NAMING));
}

/** The installable archive of one langpack: npm tarball, Composer zip, Go module zip, wheel or sdist. */
export async function langpackArchive(language: Language, model: LangpackModel, options: LangpackOptions & { format?: ArchiveFormat } = {}): Promise<LangpackArchive> {
  const format = options.format ?? DEFAULT_FORMAT[language];
  if (!FORMATS[language].includes(format)) throw new CodegenError('unknown_language', `a ${language} langpack comes as ${FORMATS[language].join(' or ')}, not ${format}`);
  const naming = options.naming ?? DEFAULT_PACKAGE_NAMING;
  return buildArchive(format, generateLangpack(language, model, options), model, packageNames(model.environment.name, naming));
}
