import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { buildSnapshot, exportCatalogFile, parseCatalogFile } from '@tagplan/catalog';
import { invalidAt, messageOf, objectBody } from '../../common/request-body';
import { Access, Caller } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { CatalogException } from '../catalog/catalog.exceptions';
import { CatalogStore } from '../catalog/catalog-store.service';

/** Catalog as code (DESIGN §7): apply a catalog file, export one, snapshot everything. */
@ApiTags('catalog')
@ApiBearerAuth()
@Controller('api/catalog')
export class CatalogFileController {
  constructor(private readonly store: CatalogStore) {}

  @Post('apply')
  @HttpCode(200)
  @Access('write')
  @ApiOperation({ summary: 'Make the registry match a catalog file (as JSON), in one transaction; dry_run returns the plan only. A `routes:` section is the whole routing table: a new routing version is made when it differs from the latest' })
  @ApiBody({ schema: { type: 'object', required: ['catalog'], properties: { catalog: { type: 'object' }, message: { type: 'string' }, dry_run: { type: 'boolean' } } } })
  async apply(@Body() body: unknown, @Caller() caller: Principal) {
    const request = objectBody(body);
    const dryRun = request['dry_run'] ?? false;
    // A dry run asked for with anything but `true` must not quietly become a real one.
    if (typeof dryRun !== 'boolean') throw invalidAt('/dry_run', 'type', 'dry_run must be true or false');
    if (request['catalog'] === undefined) throw invalidAt('/catalog', 'required', 'the catalog file (as JSON) is required');
    const parsed = parseCatalogFile(request['catalog']);
    if (!parsed.ok) throw CatalogException.invalid(parsed.issues);
    const given = request['message'] ?? parsed.value.message;
    const message = given === undefined ? undefined : messageOf(given, '/message', ': put `message:` in the file or pass -m');
    const plan = await this.store.apply(parsed.value, caller.username, message, dryRun);
    return { dry_run: dryRun, ...plan };
  }

  @Get('export')
  @ApiOperation({ summary: 'The latest version of everything, with the latest routes, as a catalog file (JSON)' })
  async export() {
    const [latest, routing] = await Promise.all([this.store.everything(true), this.store.routing()]);
    return exportCatalogFile(latest, routing?.routes);
  }

  @Get('snapshot')
  @ApiOperation({ summary: 'Every version of everything, numbered, and the latest routes: for backups and registry-less tools (never write keys)' })
  async snapshot() {
    const [versions, routing] = await Promise.all([this.store.everything(false), this.store.routing()]);
    return buildSnapshot(versions, new Date(), routing?.routes);
  }
}
