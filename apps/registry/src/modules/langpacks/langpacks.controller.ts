import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { FORMATS, LANGUAGES, type ArchiveFormat, type Language } from '@tagplan/langpacks';
import { nameParameter, versionParameter } from '../../common/query';
import { RequestException } from '../../common/request.exception';
import { LangpacksService } from './langpacks.service';

@ApiTags('langpacks')
@Controller('api/environments')
export class LangpacksController {
  constructor(private readonly langpacks: LangpacksService) {}

  @Get(':name/versions/:version/langpacks/:language')
  @ApiOperation({ summary: "The installable langpack of an environment version: npm tarball, Composer zip, Go module zip, or Python wheel (format=sdist for the sdist)" })
  @ApiQuery({ name: 'format', required: false, enum: ['npm', 'composer', 'go-module', 'wheel', 'sdist'] })
  @ApiProduces('application/gzip', 'application/zip')
  async archive(@Param('name') name: string, @Param('version') version: string, @Param('language') language: string, @Query('format') format: string | undefined, @Res() response: Response) {
    if (!(LANGUAGES as readonly string[]).includes(language)) throw new RequestException(`language must be one of ${LANGUAGES.join(', ')}, not "${language}"`);
    const formats = FORMATS[language as Language] as string[];
    if (format !== undefined && !formats.includes(format)) throw new RequestException(`a ${language} langpack comes as ${formats.join(' or ')}, not "${format}"`);
    const archive = await this.langpacks.archive(nameParameter('environment', name), versionParameter(version), language as Language, format as ArchiveFormat | undefined);
    response
      .status(200)
      .set({
        'Content-Type': archive.contentType,
        'Content-Disposition': `attachment; filename="${archive.fileName}"`,
        'Cache-Control': 'public, max-age=31536000, immutable',
      })
      .send(archive.content);
  }
}
