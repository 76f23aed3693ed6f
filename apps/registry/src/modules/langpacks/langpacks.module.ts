import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { LangpacksController } from './langpacks.controller';
import { LangpacksService } from './langpacks.service';

@Module({ imports: [CatalogModule], controllers: [LangpacksController], providers: [LangpacksService] })
export class LangpacksModule {}
