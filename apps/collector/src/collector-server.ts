import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Collector, createJsonLogger, createRequestListener, FileCatalogSource, RegistryCatalogSource, type Logger, type Sink } from '@tagplan/collector';
import { createSinks, fileSinkFactory, natsSinkFactory, type SinkFactory } from '@tagplan/sinks';
import type { CollectorConfig } from './config/collector-config';

export interface StartCollectorOptions {
  logger?: Logger;
  /** Sink types beyond the built-in file and nats sinks (or replacing them), by type name. */
  sinkFactories?: Record<string, SinkFactory>;
}

export interface RunningCollector {
  /** http://host:port, with the port actually bound (config.port 0 picks a free one). */
  url: string;
  port: number;
  collector: Collector;
  sinks: ReadonlyMap<string, Sink>;
  server: Server;
  /** Stops taking requests, lets those under way finish, then closes the sinks. */
  close(): Promise<void>;
}

export const COLLECTOR_VERSION = readVersion();

/**
 * Starts the collector: sinks, catalog (the first load is awaited; from a registry that
 * is not reachable yet, the collector starts anyway and answers 503 until it loads), the
 * HTTP server. `tagplan serve` calls this beside the registry; main.ts calls it alone.
 */
export async function startCollector(config: CollectorConfig, options: StartCollectorOptions = {}): Promise<RunningCollector> {
  const logger = options.logger ?? createJsonLogger(config.logLevel, undefined, { service: 'collector', instance: config.instanceId });
  // Both built in: TAGPLAN_COLLECTOR_SINKS may name a nats sink for the standalone collector too.
  const sinks = await createSinks(config.sinks, { file: fileSinkFactory, nats: natsSinkFactory, ...options.sinkFactories }, {
    instanceId: config.instanceId,
    dataDir: config.dataDir,
    onWarning: (message) => logger.warn(message),
  });
  let collector: Collector | undefined;
  try {
    const source =
      config.catalog.kind === 'registry' ? new RegistryCatalogSource(config.catalog.registryUrl, config.catalog.token) : new FileCatalogSource(config.catalog.file, config.catalog.writeKeys);
    collector = new Collector({
      source,
      sinks,
      defaultSinks: config.defaultSinks,
      piiSecret: config.piiSecret,
      collectorVersion: COLLECTOR_VERSION,
      instanceId: config.instanceId,
      limits: config.limits,
      dedup: config.dedup,
      trustProxy: config.trustProxy,
      refreshMs: config.refreshMs,
      logger,
      ...(config.catalog.kind === 'registry'
        ? { countsReport: { registryUrl: config.catalog.registryUrl, token: config.catalog.token, intervalMs: config.countsIntervalMs } }
        : {}),
    });
    await collector.start(config.catalog.kind === 'file');
  } catch (error) {
    await collector?.close();
    await closeSinks(sinks);
    throw error;
  }
  const server = createServer({ requestTimeout: 30_000, headersTimeout: 20_000 }, createRequestListener(collector));
  // Longer than the usual load balancer's idle timeout, so that the balancer closes first.
  server.keepAliveTimeout = 65_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await collector.close();
    await closeSinks(sinks);
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
  logger.info('collector listening', { url, version: COLLECTOR_VERSION, catalog: config.catalog.kind === 'registry' ? config.catalog.registryUrl : config.catalog.file, sinks: [...sinks.keys()] });
  const running = collector;
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    collector: running,
    sinks,
    server,
    close: () =>
      (closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await running.close();
        await closeSinks(sinks);
        logger.info('collector stopped');
      })()),
  };
}

async function closeSinks(sinks: ReadonlyMap<string, Sink>): Promise<void> {
  await Promise.all([...sinks.values()].map((sink) => sink.close().catch(() => undefined)));
}

function readVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
