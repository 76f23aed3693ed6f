import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** One file of a langpack: a relative path with forward slashes, and its text. */
export interface GeneratedFile {
  path: string;
  content: string;
}

/** Canonical form, so the same input always gives byte-identical output: sorted, \n endings, one final newline. */
export function normalizeFiles(files: GeneratedFile[]): GeneratedFile[] {
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) throw new Error(`two generated files at ${file.path}`);
    if (file.path.startsWith('/') || file.path.split('/').includes('..')) throw new Error(`unsafe generated path ${file.path}`);
    seen.add(file.path);
  }
  return files.map(normalizeFile).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The files normalizeFiles returned, with the content it gave them: the generators normalize
 * their output and generateLangpack normalizes it again, and the second pass over tens of
 * megabytes is skipped for a file whose content has not been replaced since.
 */
const normalized = new WeakMap<GeneratedFile, string>();

function normalizeFile(file: GeneratedFile): GeneratedFile {
  if (normalized.get(file) === file.content) return file;
  const result = { path: file.path, content: normalizeText(file.content) };
  normalized.set(result, result.content);
  return result;
}

/**
 * A space or a tab at the end of a line, once \r is gone: what `/[ \t]$/m` finds but for the
 * very end of the text, in half its time (V8 scans for the pair instead of trying `$` after
 * every blank).
 */
const BLANK_AT_LINE_END = /[ \t][\n\u2028\u2029]/;

/** Generated text is large: each pass runs only when needed, and text already in canonical form is returned as it is. */
function normalizeText(text: string): string {
  let content = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  const last = content.charCodeAt(content.length - 1);
  if (last === 32 || last === 9 || BLANK_AT_LINE_END.test(content)) content = content.replace(/[ \t]+$/gm, '');
  let end = content.length;
  while (end > 0 && content.charCodeAt(end - 1) === 10) end -= 1;
  return end === content.length - 1 ? content : `${content.slice(0, end)}\n`;
}

/**
 * Replaces `directory` with exactly these files. They are written to a sibling folder
 * first and swapped in, so a crash never leaves a half-written langpack behind.
 */
export async function writeGeneratedFiles(directory: string, files: GeneratedFile[]): Promise<void> {
  const staging = `${directory}.partial-${process.pid}`;
  const previous = `${directory}.previous-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  for (const file of files) {
    const target = path.join(staging, file.path);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.content);
  }
  await mkdir(staging, { recursive: true });
  await mkdir(path.dirname(directory), { recursive: true });
  await rename(directory, previous).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(staging, directory);
  await rm(previous, { recursive: true, force: true });
}
