import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { bodyEncoding, readBody } from './body-reader';
import { IntakeError } from './intake-errors';

const limits = { maxBodyBytes: 1024, maxInflatedBytes: 4096 };

/** A request body arriving in chunks, as from a socket. */
function stream(buffer: Buffer, chunk = 100): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < buffer.length; at += chunk) chunks.push(buffer.subarray(at, at + chunk));
  return Readable.from(chunks);
}

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof IntakeError ? error.code : String(error);
  }
}

describe('readBody', () => {
  it('reads plain and gzip bodies within the limits', async () => {
    const body = Buffer.from('{"hello":"world"}');
    expect((await readBody(stream(body, 3), 'identity', limits)).equals(body)).toBe(true);
    expect((await readBody(stream(gzipSync(body)), 'gzip', limits)).equals(body)).toBe(true);
  });

  it('refuses a body over the wire limit, by Content-Length or as it streams', async () => {
    expect(await code(readBody(stream(Buffer.alloc(10)), 'identity', limits, 2048))).toBe('body_too_large');
    expect(await code(readBody(stream(Buffer.alloc(1025)), 'identity', limits))).toBe('body_too_large');
    expect(await code(readBody(stream(Buffer.alloc(1025)), 'gzip', limits))).toBe('body_too_large');
  });

  it('stops inflating at the limit: a gzip bomb costs the limit, not its size', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(limits.maxBodyBytes * 100);
    expect(await code(readBody(stream(bomb), 'gzip', { maxBodyBytes: bomb.length, maxInflatedBytes: 4096 }))).toBe('inflated_body_too_large');
    expect(await code(readBody(stream(gzipSync(Buffer.alloc(4097))), 'gzip', limits))).toBe('inflated_body_too_large');
    expect((await readBody(stream(gzipSync(Buffer.alloc(4096))), 'gzip', limits)).length).toBe(4096);
  });

  it('refuses what is not gzip, and a body cut short', async () => {
    expect(await code(readBody(stream(Buffer.from('plain text')), 'gzip', limits))).toBe('invalid_gzip');
    expect(await code(readBody(stream(gzipSync(Buffer.from('{"a":1}')).subarray(0, 12)), 'gzip', limits))).toBe('invalid_gzip');
    const broken = new Readable({ read() {} });
    const reading = readBody(broken, 'identity', limits);
    broken.destroy(new Error('socket hang up'));
    expect(await code(reading)).toBe('incomplete_body');
  });
});

describe('bodyEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['identity', 'identity'],
    ['GZIP', 'gzip'],
    ['x-gzip', 'gzip'],
  ])('%s is %s', (header, encoding) => {
    expect(bodyEncoding(header)).toBe(encoding);
  });

  it.each(['br', 'deflate', 'gzip, br'])('%s is a 415', (header) => {
    expect(() => bodyEncoding(header)).toThrow(expect.objectContaining({ code: 'unsupported_content_encoding', status: 415 }));
  });
});
