export * from './model';
export { CatalogValidationError, formatIssues, IssueList, pointer } from './issues';
export type { CatalogIssue, CatalogIssueCode, Result } from './issues';
export { MAX_NAME_LENGTH, nameProblem } from './names';
export { MAX_GROUP_DEPTH, MAX_PATTERN_LENGTH, MAX_REPEAT_COUNT, patternProblem } from './pattern';
export { parseEnvironmentDraft, parseEventDraft, parseFieldBody, show } from './validate';
export type { EnvironmentDraft, EventDraft, EventRefDraft, FieldRefDraft } from './validate';
export { checkNextVersion, findFieldClashes, resolveEnvironmentDraft, resolveEventDraft } from './references';
export type { NextVersionVerdict, VersionIndex } from './references';
export { diffBodies, repinJudge, repinsOf } from './diff';
export type { Change, RepinJudge } from './diff';
export { fetchRepinned } from './repins';
export type { VersionKey } from './repins';
export { canonicalJson, deepEqual } from './canonical';
export { environmentClashes, exportCatalogFile, parseCatalogFile, planApply } from './catalog-file';
export type { ApplyPlan, CatalogFile, CatalogFileText, CatalogState, LatestRouting, PlannedRouting, PlannedVersion } from './catalog-file';
export {
  ANY_EVENT,
  diffRoutes,
  MAX_ROUTES,
  MAX_SINKS_PER_ROUTE,
  normalizeRoutes,
  parseRoutes,
  parseRoutesSection,
  routeReferenceIssues,
  routesSection,
  sameRoutes,
  SINK_NAME,
} from './routes';
export type { Route, RoutesSection, RoutingVersion } from './routes';
export { buildSnapshot, InMemoryCatalog, parseSnapshot, SNAPSHOT_FORMAT } from './snapshot';
export type { CatalogSnapshot } from './snapshot';
export { applyFilesInMemory } from './in-memory-apply';
