import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InMemoryCatalog } from '@tagplan/catalog';
import { buildLangpackModel, langpackArchive, type ArchiveFormat, type Language, type LangpackArchive } from '@tagplan/langpacks';
import { REGISTRY_CONFIG } from '../../config/config.module';
import type { RegistryConfig } from '../../config/registry-config';
import { ImmutableCache } from '../../common/immutable-cache';
import { loadEnvironmentClosure } from '../catalog/catalog.rows';
import { CatalogStore } from '../catalog/catalog-store.service';

/**
 * The installable langpack of an environment version. Versions never change, so an archive
 * once built is the same bytes forever, and is cached (each is a few kilobytes to a few hundred).
 */
@Injectable()
export class LangpacksService {
  private readonly cache = new ImmutableCache<LangpackArchive>(64);

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: CatalogStore,
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
  ) {}

  archive(environment: string, version: number, language: Language, format?: ArchiveFormat): Promise<LangpackArchive> {
    return this.cache.get(`${environment}@${version}:${language}:${format ?? ''}`, async () => {
      const environmentVersion = await this.store.version('environment', environment, version);
      const catalog = new InMemoryCatalog(await loadEnvironmentClosure(this.dataSource.manager, environmentVersion));
      const model = buildLangpackModel(catalog, environment, version);
      return langpackArchive(language, model, { naming: this.config.packageNaming, ...(format ? { format } : {}) });
    });
  }
}
