import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access } from '../auth/access.decorator';
import { COLLECTOR_CATALOG_FORMAT, CollectorCatalogService } from './collector-catalog.service';

/** What the shared collector polls (issue 4, DESIGN §3–4). */
@ApiTags('collector')
@ApiBearerAuth()
@Controller('api/collector')
export class CollectorCatalogController {
  constructor(private readonly catalog: CollectorCatalogService) {}

  @Get('catalog')
  @Access('private-read')
  @ApiOperation({
    summary: 'The catalog as a collector loads it: every version, write keys as digests, the latest routes',
    description:
      `A ${COLLECTOR_CATALOG_FORMAT} document. Needs a token with the read scope even when reads are open, since it holds the write keys' digests. ` +
      'Its `revision` changes whenever a version, a routing version or a write key is added or a key revoked, and is sent as the ETag: ' +
      'poll with If-None-Match and get 304 with no body while nothing changed (cheap enough to poll every second or two).',
  })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'the ETag of the document the collector holds' })
  @ApiResponse({ status: 200, description: `the ${COLLECTOR_CATALOG_FORMAT} document; ETag: its revision, quoted` })
  @ApiResponse({ status: 304, description: 'nothing changed since the revision given in If-None-Match' })
  @ApiResponse({ status: 401, description: 'no token, or an unknown or revoked one' })
  @ApiResponse({ status: 403, description: 'the token lacks the read scope' })
  async document(@Req() request: Request, @Res() response: Response): Promise<void> {
    // The secret digests must not sit in shared caches; a collector always revalidates.
    response.setHeader('Cache-Control', 'private, no-cache');
    response.setHeader('Vary', 'Authorization');
    const held = request.headers['if-none-match'];
    if (held !== undefined) {
      const revision = await this.catalog.revision();
      if (matches(held, revision)) {
        response.setHeader('ETag', `"${revision}"`);
        response.status(304).end();
        return;
      }
    }
    const { revision, body } = await this.catalog.document();
    response.setHeader('ETag', `"${revision}"`);
    response.status(200).type('application/json').send(body);
  }
}

/** If-None-Match (RFC 9110 §13.1.2): `*`, or a list of entity tags, compared weakly. */
function matches(header: string, revision: string): boolean {
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1') === revision);
}
