import { normalizeFiles, TemplateEngine, type GeneratedFile, type LangpackModel, type PackageNaming } from '@tagplan/codegen-core';
import { buildPythonView } from './view-model';

let engine: TemplateEngine | undefined;

/** Templates are compiled once per process, on first use. */
function templates(): TemplateEngine {
  engine ??= new TemplateEngine('python');
  return engine;
}

/**
 * The Python langpack of one environment version: a PEP 621 project (pyproject.toml,
 * README.md) holding one typed import package.
 */
export function generatePython(model: LangpackModel, naming?: PackageNaming): GeneratedFile[] {
  const engine = templates();
  // Event classes are rendered one by one (event-class.py.hbs) into events.py.
  const view = buildPythonView(model, naming, (event) => engine.render('event-class.py', event).trimEnd());
  const source = (name: string) => ({ path: `${view.module}/${name}`, content: engine.render(name, view) });
  return normalizeFiles([
    { path: 'pyproject.toml', content: engine.render('pyproject.toml', view) },
    { path: 'README.md', content: engine.render('README.md', view) },
    source('__init__.py'),
    source('client.py'),
    source('events.py'),
    source('formats.py'),
    source('validation.py'),
    source('py.typed'),
  ]);
}
