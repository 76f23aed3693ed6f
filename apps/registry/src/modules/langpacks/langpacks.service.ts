import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InMemoryCatalog } from '@tagplan/catalog';
import { buildLangpackModel, langpackArchive, type ArchiveFormat, type Language, type LangpackArchive } from '@tagplan/langpacks';
import { REGISTRY_CONFIG } from '../../config/config.module';
import type { RegistryConfig } from '../../config/registry-config';
import { loadEnvironmentClosure } from '../catalog/catalog.rows';
import { CatalogStore } from '../catalog/catalog-store.service';

/** How many built archives are kept in memory; each is a few kilobytes to a few hundred. */
const CACHE_SIZE = 64;

/**
 * The installable langpack of an environment version. Versions never change, so an archive
 * once built is the same bytes forever: cached, bounded, least recently used out.
 */
@Injectable()
export class LangpacksService {
  private readonly cache = new Map<string, LangpackArchive>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: CatalogStore,
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
  ) {}

  async archive(environment: string, version: number, language: Language, format?: ArchiveFormat): Promise<LangpackArchive> {
    const key = `${environment}@${version}:${language}:${format ?? ''}`;
    const cached = this.cache.get(key);
    if (cached) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const environmentVersion = await this.store.version('environment', environment, version);
    const catalog = new InMemoryCatalog(await loadEnvironmentClosure(this.dataSource.manager, environmentVersion));
    const model = buildLangpackModel(catalog, environment, version);
    const archive = await langpackArchive(language, model, { naming: this.config.packageNaming, ...(format ? { format } : {}) });
    this.cache.set(key, archive);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    return archive;
  }
}
