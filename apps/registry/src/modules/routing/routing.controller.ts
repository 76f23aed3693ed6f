import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MAX_SINKS_PER_ROUTE } from '@tagplan/catalog';
import { versionParameter } from '../../common/query';
import { Access, Caller } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { RoutingService } from './routing.service';

const ROUTE_SCHEMA = {
  type: 'object',
  required: ['environment', 'event', 'sinks'],
  properties: {
    environment: { type: 'string', description: 'an environment of the catalog' },
    event: { type: 'string', description: 'an event of the catalog, or "*" for every event of the environment that has no route of its own' },
    sinks: { type: 'array', minItems: 1, maxItems: MAX_SINKS_PER_ROUTE, uniqueItems: true, items: { type: 'string', pattern: '^[a-z0-9_-]{1,64}$' }, description: "sink names from the collector's configuration" },
  },
};

/** Routes are part of the catalog (DESIGN §4): versioned, append-only, also set by `tagplan apply`. */
@ApiTags('routes')
@ApiBearerAuth()
@Controller('api/routes')
export class RoutingController {
  constructor(private readonly routing: RoutingService) {}

  @Get()
  @ApiOperation({ summary: 'The latest routing version: which sinks get the events of which environment (version 0 and no routes before the first)' })
  latest() {
    return this.routing.latest();
  }

  @Get('versions')
  @ApiOperation({ summary: 'Every routing version, newest first' })
  versions() {
    return this.routing.versions();
  }

  @Get('versions/:version')
  @ApiOperation({ summary: 'One routing version' })
  version(@Param('version') version: string) {
    return this.routing.version(versionParameter(version));
  }

  @Post('versions')
  @Access('write')
  @ApiOperation({ summary: 'Add the next routing version: the whole routing table (replaces the latest)' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['routes', 'message'],
      properties: {
        routes: { type: 'array', items: ROUTE_SCHEMA },
        message: { type: 'string', description: 'why the routing changes (the change-log message)' },
        version: { type: 'integer', minimum: 1, description: 'the version this creates; 409 if another request created it first' },
      },
      example: { routes: [{ environment: 'web-frontend', event: '*', sinks: ['file'] }, { environment: 'web-frontend', event: 'item_viewed', sinks: ['file', 'nats'] }], message: 'Item views to NATS too' },
    },
  })
  addVersion(@Body() body: unknown, @Caller() caller: Principal) {
    return this.routing.addVersion(body, caller.username);
  }
}
