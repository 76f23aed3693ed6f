import type { Readable } from 'node:stream';
import { gunzip, type InputType, type ZlibOptions } from 'node:zlib';
import { IntakeError } from './intake-errors';

export type BodyEncoding = 'identity' | 'gzip';

export interface BodyLimits {
  /** Bytes on the wire (compressed when gzip). */
  maxBodyBytes: number;
  /** Bytes after gunzip; also the most an uncompressed body may have. */
  maxInflatedBytes: number;
}

/** Content-Encoding → how to read the body; anything else is a 415. */
export function bodyEncoding(header: string | undefined): BodyEncoding {
  if (header === undefined) return 'identity';
  const value = header.trim().toLowerCase();
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  throw new IntakeError('unsupported_content_encoding', `Content-Encoding ${JSON.stringify(header)} is not supported: send gzip or no Content-Encoding`);
}

/**
 * Reads a request body within the limits. The wire limit is checked as bytes arrive (and
 * against Content-Length before any); gunzip stops as soon as its output passes the
 * inflated limit, so a gzip bomb costs at most that much memory, never its full size.
 * When a limit is crossed the rest of the body is read and thrown away, so that the
 * sender, still writing, gets the 413 rather than a reset connection.
 */
export async function readBody(stream: Readable, encoding: BodyEncoding, limits: BodyLimits, contentLength?: number): Promise<Buffer> {
  const wireLimit = encoding === 'gzip' ? limits.maxBodyBytes : Math.min(limits.maxBodyBytes, limits.maxInflatedBytes);
  if (contentLength !== undefined && contentLength > wireLimit) {
    stream.resume();
    throw tooLarge(encoding, wireLimit);
  }
  const raw = await collect(stream, wireLimit, encoding);
  if (encoding === 'identity') return raw;
  try {
    return await gunzipAsync(raw, { maxOutputLength: limits.maxInflatedBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new IntakeError('inflated_body_too_large', `the body inflates to more than ${limits.maxInflatedBytes} bytes, the collector's limit (TAGPLAN_COLLECTOR_MAX_INFLATED_BYTES)`);
    }
    throw new IntakeError('invalid_gzip', `the body is not valid gzip: ${(error as Error).message}`);
  }
}

function collect(stream: Readable, limit: number, encoding: BodyEncoding): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (error: IntakeError | undefined) => {
      if (settled) return;
      settled = true;
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
      if (error) {
        // Keep the stream flowing into nothing: the sender still gets its answer.
        stream.resume();
        reject(error);
      } else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish(tooLarge(encoding, limit));
      else chunks.push(chunk);
    };
    const onEnd = () => finish(undefined);
    const onError = (error: Error) => finish(new IntakeError('incomplete_body', `the body could not be read: ${error.message}`));
    const onClose = () => finish(new IntakeError('incomplete_body', 'the connection closed before the whole body arrived'));
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

function tooLarge(encoding: BodyEncoding, limit: number): IntakeError {
  return encoding === 'gzip'
    ? new IntakeError('body_too_large', `the compressed body is larger than ${limit} bytes, the collector's limit (TAGPLAN_COLLECTOR_MAX_BODY_BYTES)`)
    : new IntakeError('body_too_large', `the body is larger than ${limit} bytes, the collector's limit (TAGPLAN_COLLECTOR_MAX_BODY_BYTES / TAGPLAN_COLLECTOR_MAX_INFLATED_BYTES)`);
}

function gunzipAsync(input: InputType, options: ZlibOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => gunzip(input, options, (error, result) => (error ? reject(error) : resolve(result))));
}
