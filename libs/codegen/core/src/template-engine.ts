import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CodegenError } from './codegen-error';
import { compileTemplate, templateRuntime, type CompiledTemplate, type TemplateRuntime } from './template-compiler';

/** templates/ at the workspace root. */
export const TEMPLATES_ROOT = path.resolve(__dirname, '../../../../templates');

interface Source {
  file: string;
  text: string;
  compiled?: CompiledTemplate;
}

/**
 * Handlebars templates set up for code: no HTML escaping, strict (a name missing from the
 * view model is an error, not an empty string), one isolated set of partials per language.
 * Templates hold loops and ifs only; every name arrives cased and escaped. They are compiled
 * to plain functions on first use (template-compiler.ts).
 */
export class TemplateEngine {
  private readonly templates = new Map<string, Source>();
  private readonly partials = new Map<string, Source>();
  private readonly runtime: TemplateRuntime;

  constructor(readonly language: string, root = TEMPLATES_ROOT) {
    const directory = path.join(root, language);
    const partials = path.join(directory, 'partials');
    for (const file of safeList(partials)) {
      if (file.endsWith('.hbs')) this.partials.set(file.slice(0, -4), { file: `${language}/partials/${file}`, text: readFileSync(path.join(partials, file), 'utf8') });
    }
    for (const file of safeList(directory)) {
      if (file.endsWith('.hbs')) this.templates.set(file.slice(0, -4), { file: `${language}/${file}`, text: readFileSync(path.join(directory, file), 'utf8') });
    }
    if (this.templates.size === 0) throw new CodegenError('template', `no templates in ${directory}`);
    this.runtime = templateRuntime((name) => {
      const partial = this.partials.get(name);
      if (!partial) throw new CodegenError('template', `there is no partial ${language}/partials/${name}.hbs`);
      return compiled(partial, true);
    });
  }

  /** Renders `templates/<language>/<name>.hbs` (e.g. "event.ts") with a view model. */
  render(name: string, view: object): string {
    const template = this.templates.get(name);
    if (!template) throw new CodegenError('template', `there is no template ${this.language}/${name}.hbs`);
    let text: string;
    try {
      text = compiled(template, false)(view, this.runtime);
    } catch (error) {
      throw new CodegenError('template', `template ${this.language}/${name}.hbs failed: ${(error as Error).message}`);
    }
    // V8 keeps a string built by appends as a tree of its pieces until something reads it
    // whole. Reading a character flattens it now, while the pieces are young: left as trees
    // until the langpack is normalized, the pieces of a thousand files would be copied by
    // every garbage collection in between.
    text.charCodeAt(0);
    return text;
  }
}

function compiled(source: Source, partial: boolean): CompiledTemplate {
  source.compiled ??= compileTemplate(source.text, source.file, { partial });
  return source.compiled;
}

function safeList(directory: string): string[] {
  try {
    return readdirSync(directory).sort();
  } catch {
    return [];
  }
}
