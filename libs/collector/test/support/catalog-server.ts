import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CollectorCatalogDocument, CollectorCountsReport } from '@tagplan/collector';

/**
 * A stand-in for the registry's collector endpoints over real HTTP: GET
 * /api/collector/catalog (ETag, If-None-Match, bearer token) and POST /api/collector/counts.
 * It can go away and come back on the same port, to test a collector's resilience.
 */
export class CatalogServer {
  readonly reports: CollectorCountsReport[] = [];
  catalogRequests = 0;
  notModified = 0;
  /** Records the next counts report, then drops the connection without an answer (a lost answer). */
  loseNextCountsAnswer = false;
  private server: Server | undefined;
  private port = 0;

  constructor(
    public document: CollectorCatalogDocument,
    readonly token = 'test-registry-token-123456',
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.headers.authorization !== `Bearer ${this.token}`) {
          response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthenticated"}');
          return;
        }
        if (request.method === 'GET' && request.url === '/api/collector/catalog') {
          this.catalogRequests++;
          const etag = `"${this.document.revision}"`;
          if (request.headers['if-none-match'] === etag) {
            this.notModified++;
            response.writeHead(304, { etag }).end();
            return;
          }
          response.writeHead(200, { 'content-type': 'application/json', etag }).end(JSON.stringify(this.document));
          return;
        }
        if (request.method === 'POST' && request.url === '/api/collector/counts') {
          this.reports.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as CollectorCountsReport);
          if (this.loseNextCountsAnswer) {
            this.loseNextCountsAnswer = false;
            request.socket.destroy();
            return;
          }
          response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
          return;
        }
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Goes away (connections refused) until start() again, on the same port. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Counts reported so far, per environment/event@version; a resent report (same report_id) counts once, as in the registry. */
  totals(): Map<string, { accepted: number; bad: number }> {
    const totals = new Map<string, { accepted: number; bad: number }>();
    const seen = new Set<string>();
    for (const report of this.reports) {
      if (report.report_id !== undefined) {
        if (seen.has(report.report_id)) continue;
        seen.add(report.report_id);
      }
      for (const count of report.counts) {
        const key = `${count.environment}/${count.event_name}@${count.event_version}`;
        const total = totals.get(key) ?? { accepted: 0, bad: 0 };
        total.accepted += count.accepted;
        total.bad += count.bad;
        totals.set(key, total);
      }
    }
    return totals;
  }
}
