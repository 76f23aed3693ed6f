import { normalizeFiles, TemplateEngine, type GeneratedFile, type LangpackModel, type PackageNaming } from '@tagplan/codegen-core';
import { LANGUAGE } from './php.facts';
import { buildView, type FieldView } from './view-model';

/** The files of the runtime every langpack carries, rendered once per langpack with its namespace. */
const RUNTIME: readonly [template: string, path: string][] = [
  ['Client.php', 'src/Client.php'],
  ['ClientStats.php', 'src/ClientStats.php'],
  ['DeliveryError.php', 'src/DeliveryError.php'],
  ['ErrorKind.php', 'src/ErrorKind.php'],
  ['Event.php', 'src/Event.php'],
  ['ValidationException.php', 'src/ValidationException.php'],
  ['Validator.php', 'src/Validator.php'],
  ['Violation.php', 'src/Violation.php'],
  ['Assert.php', 'src/Internal/Assert.php'],
  ['Check.php', 'src/Internal/Check.php'],
  ['UuidV7.php', 'src/Internal/UuidV7.php'],
  ['Transport.php', 'src/Transport/Transport.php'],
  ['Response.php', 'src/Transport/Response.php'],
  ['StreamTransport.php', 'src/Transport/StreamTransport.php'],
  ['TransportException.php', 'src/Transport/TransportException.php'],
  ['composer.json', 'composer.json'],
  ['README.md', 'README.md'],
];

let engine: TemplateEngine | undefined;

/** Templates are compiled once per process, not once per langpack. */
function templates(): TemplateEngine {
  engine ??= new TemplateEngine(LANGUAGE);
  return engine;
}

export function generatePhpFiles(model: LangpackModel, naming?: PackageNaming): GeneratedFile[] {
  const view = buildView(model, naming);
  const render = templates();
  const files: GeneratedFile[] = RUNTIME.map(([template, path]) => ({ path, content: render.render(template, view) }));
  // Fields shared by many events (the environment's common fields above all) share one view
  // object, so their setters and getters are rendered once.
  const methods = new Map<FieldView, string>();
  const methodsOf = (field: FieldView): string => {
    let code = methods.get(field);
    if (code === undefined) {
      code = render.render('field-methods.php', field);
      methods.set(field, code);
    }
    return code;
  };
  for (const event of view.events) {
    const eventView = { ...event, methods: event.fields.map(methodsOf).join('').trimEnd() };
    files.push({ path: event.path, content: render.render('event.php', { ...view, event: eventView }) });
  }
  for (const enumView of view.enums) files.push({ path: enumView.path, content: render.render('enum.php', { ...view, enum: enumView }) });
  return normalizeFiles(files);
}
