import { Module } from '@nestjs/common';
import { CollectorCatalogController } from './collector-catalog.controller';
import { CollectorCatalogService } from './collector-catalog.service';
import { EventCountsController } from './event-counts.controller';
import { EventCountsService } from './event-counts.service';

/** What the shared collector reads from the registry (its catalog) and tells it (counts). */
@Module({
  controllers: [CollectorCatalogController, EventCountsController],
  providers: [CollectorCatalogService, EventCountsService],
})
export class CollectorModule {}
