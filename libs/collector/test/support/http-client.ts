import { request } from 'node:http';
import { gzipSync } from 'node:zlib';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any;
}

/** One request over real HTTP on loopback, with full control of headers and body bytes. */
export function send(url: string, options: { method?: string; path?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<HttpAnswer> {
  const target = new URL(options.path ?? '/v1/events', url);
  return new Promise((resolve, reject) => {
    const req = request(target, { method: options.method ?? 'POST', headers: options.headers ?? {}, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
      });
      response.on('error', reject);
    });
    // The server may answer (413) and close before the whole body is sent: the answer is what counts.
    req.on('error', reject);
    if (options.body !== undefined) req.end(options.body);
    else req.end();
  });
}

/** POST /v1/events with a write key and a JSON body (gzip'd when asked). */
export function postEvents(url: string, key: string | undefined, body: unknown, options: { gzip?: boolean; headers?: Record<string, string> } = {}): Promise<HttpAnswer> {
  const raw = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(key !== undefined ? { authorization: `Bearer ${key}` } : {}), ...options.headers };
  if (options.gzip) headers['content-encoding'] = 'gzip';
  return send(url, { headers, body: options.gzip ? gzipSync(raw) : raw });
}
