import { gzipSync } from 'node:zlib';
import { Header, Pax } from 'tar';

/** Every archive entry gets this time, so the same files always give the same bytes. */
export const FIXED_MTIME = new Date('2000-01-01T00:00:00Z');

export interface ArchiveEntry {
  path: string;
  content: string | Buffer;
  /** 0o644 unless said otherwise. */
  mode?: number;
}

/**
 * A reproducible .tar.gz built in memory: the headers are encoded by the `tar` library
 * (with a PAX header for long paths), entries in the given order, fixed times and owners.
 */
export function tarGz(entries: ArchiveEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = typeof entry.content === 'string' ? Buffer.from(entry.content, 'utf8') : entry.content;
    const fields = { path: entry.path, mode: entry.mode ?? 0o644, size: body.length, mtime: FIXED_MTIME, type: 'File' as const, uid: 0, gid: 0, uname: '', gname: '' };
    const header = new Header(fields);
    if (header.encode()) {
      // The path does not fit the classic header: a PAX extended header carries it.
      blocks.push(new Pax({ ...fields, atime: undefined, ctime: undefined }).encode());
      const short = new Header({ ...fields, path: entry.path.slice(-99) });
      short.encode();
      blocks.push(short.block as Buffer);
    } else {
      blocks.push(header.block as Buffer);
    }
    blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks), { level: 9 });
}
