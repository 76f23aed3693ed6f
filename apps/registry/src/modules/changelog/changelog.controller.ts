import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ENTITY_KINDS } from '@tagplan/catalog';
import { integerParameter, textParameter } from '../../common/query';
import { RequestException } from '../../common/request.exception';
import { ChangelogService, ROUTING, type ChangelogKind } from './changelog.service';

const KINDS: readonly string[] = [...ENTITY_KINDS, ROUTING];

@ApiTags('changelog')
@Controller('api/changelog')
export class ChangelogController {
  constructor(private readonly changelog: ChangelogService) {}

  @Get()
  @ApiOperation({ summary: 'Every version, newest first, with a structured diff against the previous version of the same entity; routing versions are entries of kind "routing"' })
  @ApiQuery({ name: 'limit', required: false, description: '1 to 500, default 50' })
  @ApiQuery({ name: 'cursor', required: false, description: 'next_cursor of the previous page' })
  @ApiQuery({ name: 'kind', required: false, enum: KINDS })
  @ApiQuery({ name: 'name', required: false })
  page(@Query() query: Record<string, unknown>) {
    const kind = textParameter(query, 'kind');
    if (kind !== undefined && !KINDS.includes(kind)) throw new RequestException(`kind must be one of ${KINDS.join(', ')}`);
    const cursor = textParameter(query, 'cursor');
    const name = textParameter(query, 'name');
    if (cursor !== undefined && !/^\d{1,18}$/.test(cursor)) throw new RequestException('cursor must be the next_cursor of a previous page');
    return this.changelog.page({
      limit: integerParameter(textParameter(query, 'limit'), 'limit', 50, 1, 500),
      ...(cursor !== undefined ? { cursor } : {}),
      ...(kind !== undefined ? { kind: kind as ChangelogKind } : {}),
      ...(name !== undefined ? { name } : {}),
    });
  }
}
