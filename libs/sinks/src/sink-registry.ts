import path from 'node:path';
import type { Sink } from '@tagplan/collector';
import { FileSink, type FileSinkOptions } from './file-sink';

/**
 * Sinks are named in the collector's configuration (DESIGN §4): `{name, type, ...options}`.
 * Each type has a factory; the collector's routes refer to sinks by name.
 */
export interface SinkConfig {
  name: string;
  type: string;
  [option: string]: unknown;
}

/** What every sink may need from the collector that runs it. */
export interface SinkContext {
  instanceId: string;
  /** Where sinks keep local state when their configuration does not say. */
  dataDir: string;
  onWarning?: (message: string) => void;
}

export type SinkFactory = (config: SinkConfig, context: SinkContext) => Promise<Sink>;

export class SinkConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SinkConfigError';
  }
}

export const SINK_NAME = /^[a-z0-9_-]{1,64}$/;

/** `{name, type: "file", dir?}`: dir defaults to `<dataDir>/events`. */
export const fileSinkFactory: SinkFactory = async (config, context) => {
  const known = new Set(['name', 'type', 'dir', 'instance_id', 'retry_after_seconds']);
  for (const key of Object.keys(config)) {
    if (!known.has(key)) throw new SinkConfigError(`sink ${config.name}: unknown option "${key}" for a file sink (options: dir, instance_id, retry_after_seconds)`);
  }
  if (config['dir'] !== undefined && (typeof config['dir'] !== 'string' || config['dir'] === '')) throw new SinkConfigError(`sink ${config.name}: dir must be a path`);
  const retryAfter = config['retry_after_seconds'];
  if (retryAfter !== undefined && (!Number.isSafeInteger(retryAfter) || (retryAfter as number) < 1)) throw new SinkConfigError(`sink ${config.name}: retry_after_seconds must be a positive integer`);
  const options: FileSinkOptions = {
    name: config.name,
    dir: path.resolve((config['dir'] as string | undefined) ?? path.join(context.dataDir, 'events')),
    instanceId: (config['instance_id'] as string | undefined) ?? context.instanceId,
    ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter as number } : {}),
    ...(context.onWarning ? { onWarning: context.onWarning } : {}),
  };
  return FileSink.open(options);
};

/**
 * Creates the configured sinks, by name. On any failure, the sinks already created are
 * closed again, so that a failed start leaves no lock or handle behind.
 */
export async function createSinks(configs: SinkConfig[], factories: Record<string, SinkFactory>, context: SinkContext): Promise<Map<string, Sink>> {
  const sinks = new Map<string, Sink>();
  try {
    for (const config of configs) {
      if (typeof config.name !== 'string' || !SINK_NAME.test(config.name)) throw new SinkConfigError(`a sink name is 1 to 64 lower-case letters, digits, "_" or "-", not ${JSON.stringify(config.name)}`);
      if (sinks.has(config.name)) throw new SinkConfigError(`two sinks are named ${config.name}`);
      const factory = factories[config.type];
      if (!factory) throw new SinkConfigError(`sink ${config.name}: unknown type ${JSON.stringify(config.type)} (known: ${Object.keys(factories).join(', ')})`);
      sinks.set(config.name, await factory(config, context));
    }
  } catch (error) {
    await Promise.all([...sinks.values()].map((sink) => sink.close().catch(() => undefined)));
    throw error;
  }
  return sinks;
}
