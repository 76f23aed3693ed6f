export { generateLangpack, langpackArchive, parseLanguages } from './langpacks';
export type { LangpackOptions } from './langpacks';
export { DEFAULT_FORMAT, FORMATS, LANGUAGES } from '@tagplan/codegen-packaging';
export type { ArchiveFormat, Language, LangpackArchive } from '@tagplan/codegen-packaging';
export { buildLangpackModel, DEFAULT_PACKAGE_NAMING } from '@tagplan/codegen-core';
export type { PackageNaming } from '@tagplan/codegen-core';
