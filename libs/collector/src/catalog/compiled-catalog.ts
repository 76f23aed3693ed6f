import type { ValidateFunction } from 'ajv';
import type { EnvironmentBody, EventBody, FieldBody, FieldRef } from '@tagplan/catalog';
import { buildEventSchema } from '@tagplan/json-schema';
import type { CollectorCatalogDocument, Sink, WriteKeyRecord } from '../contracts';
import type { EventCount, EventCounts } from '../metrics/event-counts';
import { sameDigest, writeKeyDigest } from '../write-keys';
import type { ValidatorCache } from './validator-cache';

/** Stands for every event of an environment that has no route of its own (as in libs/catalog). */
export const ANY_EVENT = '*';

/** How one event version is checked and enriched when sent from one environment version. */
export interface ResolvedEvent {
  readonly environmentVersion: number;
  readonly validate: ValidateFunction;
  /** Keys of `data` whose values are replaced by a keyed hash (pii: hash). */
  readonly hashFields: readonly string[];
  /** Keys of `data` removed before writing (pii: drop). */
  readonly dropFields: readonly string[];
  readonly hasPii: boolean;
}

/** One event version allowed in one environment: pinned by at least one of its versions. */
export class PinnedEvent {
  private readonly resolved = new Map<number, ResolvedEvent>();

  constructor(
    readonly name: string,
    readonly version: number,
    /** The environment versions that pin it, newest first. */
    readonly environmentVersions: readonly number[],
    readonly sinks: readonly Sink[],
    readonly counts: EventCount,
    private readonly build: (environmentVersion: number) => ResolvedEvent,
  ) {}

  /**
   * The schema of the environment version the sender was built from (its langpack's
   * `0.G.N`) when that version pins this event version, else of the newest one that does.
   */
  resolve(senderEnvironmentVersion: number | undefined): ResolvedEvent {
    const environmentVersion =
      senderEnvironmentVersion !== undefined && this.environmentVersions.includes(senderEnvironmentVersion)
        ? senderEnvironmentVersion
        : (this.environmentVersions[0] as number);
    let resolved = this.resolved.get(environmentVersion);
    if (!resolved) {
      resolved = this.build(environmentVersion);
      this.resolved.set(environmentVersion, resolved);
    }
    return resolved;
  }

  get compiled(): boolean {
    return this.resolved.has(this.environmentVersions[0] as number);
  }
}

export class CompiledEnvironment {
  constructor(
    readonly name: string,
    /** event name → event version → what is allowed. */
    readonly events: ReadonlyMap<string, ReadonlyMap<number, PinnedEvent>>,
    /** Where bad rows go: every sink that gets any event of the environment. */
    readonly badRowSinks: readonly Sink[],
  ) {}
}

export type Authentication =
  | { ok: true; environment: CompiledEnvironment; keyId: string }
  | { ok: false; code: 'unknown_write_key' | 'revoked_write_key' };

export type NotAllowedReason = 'unknown_event' | 'unknown_version' | 'not_allowed';

export interface CompileOptions {
  sinks: ReadonlyMap<string, Sink>;
  /** Where events go that no route names (DESIGN §4: the embedded default). */
  defaultSinks: readonly string[];
  validators: ValidatorCache;
  counts: EventCounts;
}

/**
 * A catalog document turned into what the intake needs per request: write keys by digest,
 * and per environment the allowed event versions with their routes. Building it is cheap
 * (indexes only); validators are compiled on first use and shared across revisions.
 */
export class CompiledCatalog {
  readonly environments = new Map<string, CompiledEnvironment>();
  /** Route problems found while compiling (unknown sinks), for the log. */
  readonly warnings: string[] = [];
  private readonly keysByLookup = new Map<string, WriteKeyRecord[]>();
  private readonly eventVersions = new Map<string, Set<number>>();
  private readonly emptyEnvironments = new Map<string, CompiledEnvironment>();
  private readonly defaultSinks: Sink[];

  constructor(
    readonly document: CollectorCatalogDocument,
    private readonly options: CompileOptions,
  ) {
    this.defaultSinks = this.sinksNamed(options.defaultSinks, 'the default route');
    for (const key of document.write_keys) {
      const list = this.keysByLookup.get(key.lookup) ?? [];
      list.push(key);
      this.keysByLookup.set(key.lookup, list);
    }
    const fields = new Map<string, FieldBody>();
    const events = new Map<string, EventBody>();
    const environments = new Map<string, { version: number; body: EnvironmentBody }[]>();
    for (const entry of document.versions) {
      const key = `${entry.name}@${entry.version}`;
      if (entry.kind === 'field') fields.set(key, entry.body as FieldBody);
      else if (entry.kind === 'event') {
        events.set(key, entry.body as EventBody);
        const versions = this.eventVersions.get(entry.name) ?? new Set<number>();
        versions.add(entry.version);
        this.eventVersions.set(entry.name, versions);
      } else {
        const list = environments.get(entry.name) ?? [];
        list.push({ version: entry.version, body: entry.body as EnvironmentBody });
        environments.set(entry.name, list);
      }
    }
    const lookup = {
      field: (name: string, version: number) => required(fields.get(`${name}@${version}`), `field ${name}@${version}`),
      event: (name: string, version: number) => required(events.get(`${name}@${version}`), `event ${name}@${version}`),
    };
    const routes = this.routesByEnvironment();
    for (const [name, versions] of environments) {
      versions.sort((a, b) => b.version - a.version);
      const environmentRoutes = routes.get(name) ?? new Map<string, Sink[]>();
      const wildcard = environmentRoutes.get(ANY_EVENT);
      const pins = new Map<string, number[]>();
      for (const environmentVersion of versions) {
        for (const ref of environmentVersion.body.events) {
          const key = `${ref.name}@${ref.version}`;
          const list = pins.get(key) ?? [];
          list.push(environmentVersion.version);
          pins.set(key, list);
        }
      }
      const byName = new Map<string, Map<number, PinnedEvent>>();
      for (const [key, environmentVersions] of pins) {
        const at = key.lastIndexOf('@');
        const eventName = key.slice(0, at);
        const eventVersion = Number(key.slice(at + 1));
        const build = (environmentVersion: number): ResolvedEvent => {
          const environment = versions.find((entry) => entry.version === environmentVersion) as { version: number; body: EnvironmentBody };
          const event = { name: eventName, version: eventVersion, body: lookup.event(eventName, eventVersion) };
          const schema = buildEventSchema({ name, ...environment }, event, lookup);
          const hashFields: string[] = [];
          const dropFields: string[] = [];
          const seen = new Set<string>();
          const visit = (ref: FieldRef) => {
            if (seen.has(ref.name)) return;
            seen.add(ref.name);
            const pii = lookup.field(ref.name, ref.version).pii;
            if (pii === 'hash') hashFields.push(ref.name);
            else if (pii === 'drop') dropFields.push(ref.name);
          };
          event.body.fields.forEach(visit);
          environment.body.common_fields.forEach(visit);
          return {
            environmentVersion,
            validate: options.validators.validator(schema),
            hashFields,
            dropFields,
            hasPii: hashFields.length + dropFields.length > 0,
          };
        };
        const sinks = environmentRoutes.get(eventName) ?? wildcard ?? this.defaultSinks;
        const pinned = new PinnedEvent(eventName, eventVersion, environmentVersions, sinks, options.counts.entry(name, eventName, eventVersion), build);
        const list = byName.get(eventName) ?? new Map<number, PinnedEvent>();
        list.set(eventVersion, pinned);
        byName.set(eventName, list);
      }
      const badRowSinks = new Set<Sink>();
      for (const sinks of environmentRoutes.values()) sinks.forEach((sink) => badRowSinks.add(sink));
      // Events without a route of their own go to the default sinks: so do their bad rows.
      if (!wildcard) this.defaultSinks.forEach((sink) => badRowSinks.add(sink));
      this.environments.set(name, new CompiledEnvironment(name, byName, [...badRowSinks]));
    }
  }

  get revision(): string {
    return this.document.revision;
  }

  /** Finds the write key by its digest's prefix, then compares the whole digest in constant time. */
  authenticate(key: string): Authentication {
    const digest = writeKeyDigest(key);
    for (const candidate of this.keysByLookup.get(digest.lookup) ?? []) {
      if (!sameDigest(candidate.secret_hash, digest.secret_hash)) continue;
      if (candidate.revoked) return { ok: false, code: 'revoked_write_key' };
      return { ok: true, environment: this.environment(candidate.environment), keyId: candidate.id };
    }
    return { ok: false, code: 'unknown_write_key' };
  }

  /** An environment with a key but no versions yet allows nothing (its events become bad rows). */
  environment(name: string): CompiledEnvironment {
    const compiled = this.environments.get(name);
    if (compiled) return compiled;
    let empty = this.emptyEnvironments.get(name);
    if (!empty) {
      empty = new CompiledEnvironment(name, new Map(), this.defaultSinks);
      this.emptyEnvironments.set(name, empty);
    }
    return empty;
  }

  /** Why an event version that the environment does not allow is refused. */
  notAllowedReason(eventName: string, eventVersion: number): NotAllowedReason {
    const versions = this.eventVersions.get(eventName);
    if (!versions) return 'unknown_event';
    return versions.has(eventVersion) ? 'not_allowed' : 'unknown_version';
  }

  /** Whether the catalog has this event (for metric labels: senders' strings never become labels). */
  knowsEvent(eventName: string): boolean {
    return this.eventVersions.has(eventName);
  }

  knowsEventVersion(eventName: string, eventVersion: number): boolean {
    return this.eventVersions.get(eventName)?.has(eventVersion) ?? false;
  }

  /** Every allowed event version, for the background warm-up of validators. */
  *pinnedEvents(): IterableIterator<PinnedEvent> {
    for (const environment of this.environments.values()) {
      for (const versions of environment.events.values()) yield* versions.values();
    }
  }

  private routesByEnvironment(): Map<string, Map<string, Sink[]>> {
    const byEnvironment = new Map<string, Map<string, Sink[]>>();
    for (const route of this.document.routes) {
      const sinks = this.sinksNamed(route.sinks, `the route ${route.environment} / ${route.event}`);
      // A route whose sinks this collector does not have falls back to the default, never to nowhere.
      if (sinks.length === 0) continue;
      const routes = byEnvironment.get(route.environment) ?? new Map<string, Sink[]>();
      routes.set(route.event, sinks);
      byEnvironment.set(route.environment, routes);
    }
    return byEnvironment;
  }

  private sinksNamed(names: readonly string[], what: string): Sink[] {
    const sinks: Sink[] = [];
    for (const name of names) {
      const sink = this.options.sinks.get(name);
      if (sink) {
        if (!sinks.includes(sink)) sinks.push(sink);
      } else this.warnings.push(`${what} names the sink "${name}", which this collector does not have (it has ${[...this.options.sinks.keys()].join(', ') || 'none'})`);
    }
    return sinks;
  }
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the catalog is missing ${what}`);
  return value;
}
