import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { nameParameter, textParameter } from '../../common/query';
import { Access, Caller } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { DEFAULT_KEY_NAME, WriteKeysService } from './write-keys.service';

/** Write keys per environment (DESIGN §3): created, listed and revoked; shown in clear only once. */
@ApiTags('write keys')
@ApiBearerAuth()
@Controller('api')
export class WriteKeysController {
  constructor(private readonly keys: WriteKeysService) {}

  @Post('environments/:name/keys')
  @Access('write')
  @ApiOperation({ summary: 'Create a write key for an environment; the key is in this response only (as `key`), the registry keeps its SHA-256' })
  @ApiBody({ required: false, schema: { type: 'object', properties: { name: { type: 'string', minLength: 1, maxLength: 100, default: DEFAULT_KEY_NAME, description: 'what the key is for, e.g. production' } }, example: { name: 'production' } } })
  create(@Param('name') name: string, @Body() body: unknown, @Caller() caller: Principal) {
    return this.keys.create(nameParameter('environment', name), body, caller.username);
  }

  @Get('environments/:name/keys')
  @ApiOperation({ summary: "An environment's write keys, oldest first (never the keys themselves)" })
  list(@Param('name') name: string) {
    return this.keys.list(nameParameter('environment', name));
  }

  @Post('environments/:name/keys/:id/revoke')
  @HttpCode(200)
  @Access('write')
  @ApiOperation({ summary: 'Revoke a write key: collectors refuse it once they reload the catalog (within seconds); revoking twice changes nothing' })
  revoke(@Param('name') name: string, @Param('id') id: string) {
    return this.keys.revoke(nameParameter('environment', name), id);
  }

  @Get('keys')
  @ApiOperation({ summary: 'Every write key of every environment, oldest first (never the keys themselves)' })
  @ApiQuery({ name: 'environment', required: false })
  listAll(@Query() query: Record<string, unknown>) {
    const environment = textParameter(query, 'environment');
    return this.keys.list(environment === undefined ? undefined : nameParameter('environment', environment));
  }
}
