import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogFileController } from '../catalog-file/catalog-file.controller';
import { EnvironmentSchemasService } from '../environments/environment-schemas.service';
import { EnvironmentsController } from '../environments/environments.controller';
import { EventsController } from '../events/events.controller';
import { FieldsController } from '../fields/fields.controller';
import { RoutingController } from '../routing/routing.controller';
import { RoutingService } from '../routing/routing.service';
import { CatalogEntityRecord, CatalogReferenceRecord, CatalogVersionRecord } from './catalog.entities';
import { CatalogStore } from './catalog-store.service';

/** Fields, events and environments share one versioned store; each has its own routes. So do routing versions. */
@Module({
  imports: [TypeOrmModule.forFeature([CatalogEntityRecord, CatalogVersionRecord, CatalogReferenceRecord])],
  controllers: [FieldsController, EventsController, EnvironmentsController, CatalogFileController, RoutingController],
  providers: [CatalogStore, EnvironmentSchemasService, RoutingService],
  exports: [CatalogStore, EnvironmentSchemasService],
})
export class CatalogModule {}
