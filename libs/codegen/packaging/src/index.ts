export { buildArchive, DEFAULT_FORMAT, escapeModulePath, FORMATS, goModuleZip, goProxyEntries, LANGUAGES } from './langpack-archive';
export type { ArchiveFormat, Language, LangpackArchive } from './langpack-archive';
export { FIXED_MTIME, tarGz } from './tarball';
export type { ArchiveEntry } from './tarball';
export { zip } from './zip';
