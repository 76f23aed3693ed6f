import { parseCatalogFile, planApply } from './catalog-file';
import { IssueList, type Result } from './issues';
import type { EntityVersion } from './model';
import { InMemoryCatalog } from './snapshot';

/**
 * Applies catalog files one after the other to an in-memory catalog, as the registry
 * would: for tools that build a catalog from files without a registry (code generation
 * for the demo catalog, test fixtures). Timestamps are derived from the step, so the
 * result is reproducible.
 */
export function applyFilesInMemory(files: { name: string; content: unknown }[], author = 'tagplan'): Result<InMemoryCatalog> {
  const issues = new IssueList();
  const versions: EntityVersion[] = [];
  files.forEach((file, step) => {
    if (!issues.empty) return;
    const parsed = parseCatalogFile(file.content);
    const planned = parsed.ok ? planApply(parsed.value, new InMemoryCatalog(versions), parsed.value.message ?? `apply ${file.name}`) : parsed;
    if (!planned.ok) {
      for (const issue of planned.issues) issues.add(`${file.name}#${issue.path}`, issue.code, issue.message);
      return;
    }
    const createdAt = new Date(Date.UTC(2026, 0, 1) + step * 60_000).toISOString();
    for (const entry of planned.value.versions) {
      versions.push({ kind: entry.kind, name: entry.name, version: entry.version, body: entry.body, author, message: planned.value.message, created_at: createdAt } as EntityVersion);
    }
  });
  return issues.result(new InMemoryCatalog(versions));
}
