export { generateGo } from './generator';
export { buildGoView } from './view-model';
export type { EventView, GoLangpackView, GoView } from './view-model';
export { commentLines, GoNamer, goString } from './go.facts';
