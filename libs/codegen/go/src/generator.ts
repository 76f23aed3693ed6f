import { normalizeFiles, TemplateEngine, type GeneratedFile, type LangpackModel, type PackageNaming } from '@tagplan/codegen-core';
import { buildGoView } from './view-model';

/** Files rendered once per langpack from the whole view model. */
const PACKAGE_FILES = ['client.go', 'doc.go', 'errors.go', 'fields.go', 'rules.go', 'uuid.go', 'validate.go', 'wire.go', 'go.mod', 'README.md'] as const;

let engine: TemplateEngine | undefined;

/** The templates are read and compiled once per process, not per langpack or per event. */
function templates(): TemplateEngine {
  engine ??= new TemplateEngine('go');
  return engine;
}

/** Renders the Go langpack of one environment version (a Go module, gofmt-clean, standard library only). */
export function generateGo(model: LangpackModel, naming?: PackageNaming): GeneratedFile[] {
  const langpack = buildGoView(model, naming);
  const { view } = langpack;
  const engine = templates();
  const files: GeneratedFile[] = PACKAGE_FILES.map((name) => ({ path: name, content: engine.render(name, view) }));
  if (view.enums.length > 0) files.push({ path: 'enums.go', content: engine.render('enums.go', view) });
  // Each event's view is built, rendered and dropped in turn: a large catalog's views never all live at once.
  view.events.forEach((summary, index) => {
    files.push({ path: summary.fileName, content: engine.render('event.go', { ...view, event: langpack.event(index) }) });
  });
  return normalizeFiles(files);
}
