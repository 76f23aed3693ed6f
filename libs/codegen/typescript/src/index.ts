export { generateTypescript } from './generator';
export { buildTypescriptView } from './view-model';
export type { EnumView, EventView, FieldView, TypescriptView } from './view-model';
