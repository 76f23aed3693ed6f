import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { normalizeRoutes, parseRoutes, pointer, routeReferenceIssues, sameRoutes, type RoutingVersion } from '@tagplan/catalog';
import { expectedVersionOf, invalidAt, messageOf, objectBody } from '../../common/request-body';
import { CatalogException } from '../catalog/catalog.exceptions';
import { allRoutingVersions, insertRouting, latestRouting, routedEntities, routingVersionRow } from './routing.rows';

/** The routing table as the API shows it before anyone wrote one. */
export interface NoRouting {
  version: 0;
  routes: [];
  author: null;
  message: null;
  created_at: null;
}

const NO_ROUTING: NoRouting = { version: 0, routes: [], author: null, message: null, created_at: null };

/**
 * Routing versions (DESIGN §4): each is the whole table of which sinks get which events.
 * Like catalog versions they are only ever added, and the database refuses anything else.
 */
@Injectable()
export class RoutingService {
  constructor(private readonly dataSource: DataSource) {}

  async latest(): Promise<RoutingVersion | NoRouting> {
    return (await latestRouting(this.dataSource.manager)) ?? NO_ROUTING;
  }

  async version(version: number): Promise<RoutingVersion> {
    const found = await routingVersionRow(this.dataSource.manager, version);
    if (!found) throw new CatalogException('not_found', `there is no routing version ${version}`);
    return found;
  }

  versions(): Promise<RoutingVersion[]> {
    return allRoutingVersions(this.dataSource.manager);
  }

  async addVersion(body: unknown, author: string): Promise<RoutingVersion> {
    const request = objectBody(body);
    for (const key of Object.keys(request)) {
      if (!['routes', 'message', 'version'].includes(key)) throw invalidAt(pointer('', key), 'unknown_property', `unknown property "${key}"; expected routes, message, version`);
    }
    const parsed = parseRoutes(request['routes'], '/routes');
    if (!parsed.ok) throw CatalogException.invalid(parsed.issues);
    const message = messageOf(request['message']);
    const expected = expectedVersionOf(request['version']);
    const manager = this.dataSource.manager;
    const exists = await routedEntities(manager, parsed.value);
    const problems = routeReferenceIssues(parsed.value, exists, (_route, index, part) => pointer(pointer('/routes', index), part));
    if (problems.length > 0) throw CatalogException.invalid(problems);
    // As with catalog versions: no transaction, the primary key settles races (409).
    const latest = await latestRouting(manager);
    const next = (latest?.version ?? 0) + 1;
    if (expected !== undefined && expected !== next) {
      throw new CatalogException('version_conflict', `the next routing version is ${next}, not ${expected}; read the latest routing and try again`);
    }
    if (sameRoutes(parsed.value, latest?.routes ?? [])) {
      throw new CatalogException('unchanged', latest ? `these routes are those of routing version ${latest.version}; nothing to add` : 'there are no routes yet; nothing to add');
    }
    return insertRouting(manager, next, normalizeRoutes(parsed.value), author, message);
  }
}
