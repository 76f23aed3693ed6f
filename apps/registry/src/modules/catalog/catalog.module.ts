import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogFileController } from '../catalog-file/catalog-file.controller';
import { EnvironmentSchemasService } from '../environments/environment-schemas.service';
import { EnvironmentsController } from '../environments/environments.controller';
import { EventsController } from '../events/events.controller';
import { FieldsController } from '../fields/fields.controller';
import { CatalogEntityRecord, CatalogReferenceRecord, CatalogVersionRecord } from './catalog.entities';
import { CatalogStore } from './catalog-store.service';

/** Fields, events and environments share one versioned store; each has its own routes. */
@Module({
  imports: [TypeOrmModule.forFeature([CatalogEntityRecord, CatalogVersionRecord, CatalogReferenceRecord])],
  controllers: [FieldsController, EventsController, EnvironmentsController, CatalogFileController],
  providers: [CatalogStore, EnvironmentSchemasService],
  exports: [CatalogStore, EnvironmentSchemasService],
})
export class CatalogModule {}
