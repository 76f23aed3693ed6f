import { normalizeFiles, TemplateEngine, type GeneratedFile, type LangpackModel, type PackageNaming } from '@tagplan/codegen-core';
import { buildTypescriptView } from './view-model';

/** The runtime modules every langpack carries, rendered once each into dist/. */
const RUNTIME_MODULES = ['client', 'enums', 'index', 'langpack', 'tagplan-event', 'uuid', 'validate-event', 'validation'] as const;

let engine: TemplateEngine | undefined;

/** Templates are read and compiled once per process, not per langpack. */
function templates(): TemplateEngine {
  engine ??= new TemplateEngine('typescript');
  return engine;
}

/**
 * The TypeScript langpack of one environment version: an ESM npm package whose dist/
 * holds JavaScript and its .d.ts side by side, written straight from the templates (no
 * compiler at generation time, so 1,000 events take milliseconds, not seconds).
 */
export function generateTypescript(model: LangpackModel, naming?: PackageNaming): GeneratedFile[] {
  const view = buildTypescriptView(model, naming);
  const engine = templates();
  const files: GeneratedFile[] = [
    { path: 'package.json', content: engine.render('package.json', view) },
    { path: 'README.md', content: engine.render('README.md', view) },
  ];
  for (const module of RUNTIME_MODULES) {
    files.push({ path: `dist/${module}.js`, content: engine.render(`${module}.js`, view) });
    files.push({ path: `dist/${module}.d.ts`, content: engine.render(`${module}.d.ts`, view) });
  }
  for (const event of view.events) {
    const context = { ...event, generatedBy: view.generatedBy };
    files.push({ path: `dist/events/${event.module}.js`, content: engine.render('event.js', context) });
    files.push({ path: `dist/events/${event.module}.d.ts`, content: engine.render('event.d.ts', context) });
  }
  return normalizeFiles(files);
}
