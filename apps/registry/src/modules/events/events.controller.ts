import { EVENT_VERSION_SCHEMA } from '../catalog/catalog.openapi';
import { VersionedEntityController } from '../catalog/versioned-entity.controller';

export class EventsController extends VersionedEntityController('event', 'events', EVENT_VERSION_SCHEMA, 'item_viewed') {}
