import yazl from 'yazl';
import { FIXED_MTIME, type ArchiveEntry } from './tarball';

/** A reproducible .zip built in memory (fixed times, entries in the given order). */
export function zip(entries: ArchiveEntry[]): Promise<Buffer> {
  const archive = new yazl.ZipFile();
  for (const entry of entries) {
    const body = typeof entry.content === 'string' ? Buffer.from(entry.content, 'utf8') : entry.content;
    archive.addBuffer(body, entry.path, { mtime: FIXED_MTIME, mode: (entry.mode ?? 0o644) | 0o100000, compress: true });
  }
  archive.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    archive.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    archive.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    archive.outputStream.on('error', reject);
  });
}
