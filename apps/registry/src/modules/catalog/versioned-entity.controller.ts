import { Body, Controller, Get, Param, Post, Query, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { EntityKind, EntityVersion } from '@tagplan/catalog';
import { nameParameter, pageParameters, textParameter, versionParameter } from '../../common/query';
import { RequestException } from '../../common/request.exception';
import { expectedVersionOf, messageOf, nameOf, objectBody } from '../../common/request-body';
import { Access, Caller } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { withName, type VersionSchema } from './catalog.openapi';
import { CatalogStore } from './catalog-store.service';

export interface VersionedEntityRoutes {
  create(body: unknown, caller: Principal): Promise<EntityVersion>;
  addVersion(name: string, body: unknown, caller: Principal): Promise<EntityVersion>;
  list(query: Record<string, unknown>): Promise<{ items: EntityVersion[]; total: number; limit: number; offset: number }>;
  entity(name: string): Promise<{ kind: EntityKind; name: string; latest_version: number; versions: EntityVersion[] }>;
  version(name: string, version: string): Promise<EntityVersion>;
}

/**
 * The routes fields, events and environments share (DESIGN §1: each is a name with
 * immutable versions). No route updates or deletes anything.
 */
export function VersionedEntityController(
  kind: EntityKind,
  plural: string,
  versionSchema: VersionSchema,
  exampleName: string,
): Type<VersionedEntityRoutes> {
  @ApiTags(plural)
  @ApiBearerAuth()
  @Controller(`api/${plural}`)
  class VersionedController implements VersionedEntityRoutes {
    constructor(readonly store: CatalogStore) {}

    @Post()
    @Access('write')
    @ApiOperation({ summary: `Create a ${kind} with its version 1` })
    @ApiBody({ schema: withName(versionSchema, exampleName) })
    create(@Body() body: unknown, @Caller() caller: Principal) {
      const { name, message, ...rest } = objectBody(body);
      return this.store.write({ kind, name: nameOf(kind, name), body: rest, author: caller.username, message: messageOf(message) }, true);
    }

    @Post(':name/versions')
    @Access('write')
    @ApiOperation({ summary: `Add the next version of a ${kind}` })
    @ApiBody({ schema: versionSchema })
    addVersion(@Param('name') name: string, @Body() body: unknown, @Caller() caller: Principal) {
      const { message, version, ...rest } = objectBody(body);
      const expected = expectedVersionOf(version);
      return this.store.write(
        { kind, name: nameParameter(kind, name), body: rest, author: caller.username, message: messageOf(message), ...(expected !== undefined ? { version: expected } : {}) },
        false,
      );
    }

    @Get()
    @ApiOperation({ summary: `List ${plural} with their latest version` })
    @ApiQuery({ name: 'q', required: false, description: 'text in the name or description' })
    @ApiQuery({ name: 'owner', required: false, description: 'exact owner (events and environments)' })
    @ApiQuery({ name: 'limit', required: false, description: '1 to 500, default 50' })
    @ApiQuery({ name: 'offset', required: false })
    async list(@Query() query: Record<string, unknown>) {
      if (kind === 'field' && query['owner'] !== undefined) throw new RequestException('owner: fields have no owner');
      const page = pageParameters(query);
      const q = textParameter(query, 'q');
      const owner = textParameter(query, 'owner');
      const { items, total } = await this.store.list(kind, { ...page, ...(q ? { q } : {}), ...(owner ? { owner } : {}) });
      return { items, total, ...page };
    }

    @Get(':name')
    @ApiOperation({ summary: `A ${kind} with all its versions, oldest first` })
    async entity(@Param('name') name: string) {
      const versions = await this.store.versions(kind, nameParameter(kind, name));
      return { kind, name, latest_version: versions.length, versions };
    }

    @Get(':name/versions/:version')
    @ApiOperation({ summary: `One version of a ${kind}` })
    version(@Param('name') name: string, @Param('version') version: string) {
      return this.store.version(kind, nameParameter(kind, name), versionParameter(version));
    }
  }
  return VersionedController;
}
