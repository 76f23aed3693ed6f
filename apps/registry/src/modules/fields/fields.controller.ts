import { FIELD_VERSION_SCHEMA } from '../catalog/catalog.openapi';
import { VersionedEntityController } from '../catalog/versioned-entity.controller';

export class FieldsController extends VersionedEntityController('field', 'fields', FIELD_VERSION_SCHEMA, 'source') {}
