import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { COLLECTOR_COUNTS_FORMAT } from '@tagplan/collector';
import { nameParameter, textParameter, versionParameter } from '../../common/query';
import { RequestException } from '../../common/request.exception';
import { Access } from '../auth/access.decorator';
import { COUNT_RETENTION_DAYS, EventCountsService, MAX_COUNTS_PER_REPORT, type CountWindow } from './event-counts.service';


/** Which event versions flow and which break (issue 4 §6): counts collectors report, per minute. */
@ApiTags('collector')
@ApiBearerAuth()
@Controller('api')
export class EventCountsController {
  constructor(private readonly counts: EventCountsService) {}

  @Post('collector/counts')
  @HttpCode(200)
  @Access('write')
  @ApiOperation({
    summary: 'Add a collector\'s counts of accepted and bad events to their minute buckets (token with the write scope)',
    description:
      `Counts are added, never replaced. Each count names its minute, or falls in the minute of the report's to_ts. ` +
      `Counts older than ${COUNT_RETENTION_DAYS} days are skipped (and pruned). A report_id makes a resent report count once.`,
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['counts'],
      properties: {
        format: { enum: [COLLECTOR_COUNTS_FORMAT] },
        collector_id: { type: 'string' },
        from_ts: { type: 'integer', description: 'milliseconds since the epoch' },
        to_ts: { type: 'integer', description: 'milliseconds since the epoch; counts without a minute fall in the minute of to_ts - 1' },
        report_id: { type: 'string', format: 'uuid', description: 'the same for a resent report, which then counts once' },
        counts: {
          type: 'array',
          maxItems: MAX_COUNTS_PER_REPORT,
          items: {
            type: 'object',
            required: ['environment', 'event_name', 'event_version', 'accepted', 'bad'],
            properties: {
              environment: { type: 'string' },
              event_name: { type: 'string' },
              event_version: { type: 'integer', minimum: 0 },
              minute: { type: 'string', format: 'date-time', description: 'the minute counted (truncated to the minute)' },
              accepted: { type: 'integer', minimum: 0 },
              bad: { type: 'integer', minimum: 0 },
            },
          },
        },
      },
      example: { counts: [{ environment: 'web-frontend', event_name: 'item_viewed', event_version: 2, minute: '2026-01-01T12:34:00Z', accepted: 120, bad: 3 }] },
    },
  })
  record(@Body() body: unknown) {
    return this.counts.record(body);
  }

  @Get('events/:name/versions/:version/counts')
  @ApiOperation({ summary: 'Accepted and bad events of one event version in the last hour and day, in total and per environment' })
  forEventVersion(@Param('name') name: string, @Param('version') version: string) {
    return this.counts.forEventVersion(nameParameter('event', name), versionParameter(version));
  }

  @Get('counts')
  @ApiOperation({ summary: 'Every event version with its accepted and bad events in the window (zero when none), and counted versions the catalog lacks' })
  @ApiQuery({ name: 'window', required: false, enum: ['hour', 'day'], description: 'default: hour' })
  list(@Query() query: Record<string, unknown>) {
    const window = textParameter(query, 'window') ?? 'hour';
    if (window !== 'hour' && window !== 'day') throw new RequestException(`window must be hour or day, not "${window}"`);
    return this.counts.list(window as CountWindow);
  }
}

