import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { nameParameter, versionParameter } from '../../common/query';
import { ENVIRONMENT_VERSION_SCHEMA } from '../catalog/catalog.openapi';
import { CatalogStore } from '../catalog/catalog-store.service';
import { VersionedEntityController } from '../catalog/versioned-entity.controller';
import { EnvironmentSchemasService } from './environment-schemas.service';

// Re-declared so that the constructor's own dependencies are recorded for injection.
@Controller('api/environments')
export class EnvironmentsController extends VersionedEntityController('environment', 'environments', ENVIRONMENT_VERSION_SCHEMA, 'web-frontend') {
  constructor(
    store: CatalogStore,
    private readonly schemaService: EnvironmentSchemasService,
  ) {
    super(store);
  }

  @Get(':name/versions/:version/schemas')
  @Header('Cache-Control', 'public, max-age=31536000, immutable')
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOperation({ summary: 'The JSON Schema (draft 2020-12) of every event of an environment version' })
  async schemas(@Param('name') name: string, @Param('version') version: string): Promise<string> {
    // { environment, version, schemas }, already serialized (and cached) by the service.
    return this.schemaService.answer(nameParameter('environment', name), versionParameter(version));
  }
}
