import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { CodegenError } from './codegen-error';

/** templates/ at the workspace root. */
export const TEMPLATES_ROOT = path.resolve(__dirname, '../../../../templates');

/**
 * Handlebars set up for code: no HTML escaping, strict (a name missing from the view
 * model is an error, not an empty string), one isolated environment per language with its
 * partials. Templates hold loops and ifs only; every name arrives cased and escaped.
 */
export class TemplateEngine {
  private readonly handlebars = Handlebars.create();
  private readonly templates = new Map<string, Handlebars.TemplateDelegate>();

  constructor(readonly language: string, root = TEMPLATES_ROOT) {
    const directory = path.join(root, language);
    const partials = path.join(directory, 'partials');
    for (const file of safeList(partials)) {
      if (file.endsWith('.hbs')) this.handlebars.registerPartial(file.slice(0, -4), readFileSync(path.join(partials, file), 'utf8'));
    }
    for (const file of safeList(directory)) {
      if (!file.endsWith('.hbs')) continue;
      this.templates.set(file.slice(0, -4), this.handlebars.compile(readFileSync(path.join(directory, file), 'utf8'), { noEscape: true, strict: true }));
    }
    if (this.templates.size === 0) throw new CodegenError('template', `no templates in ${directory}`);
  }

  /** Renders `templates/<language>/<name>.hbs` (e.g. "event.ts") with a view model. */
  render(name: string, view: object): string {
    const template = this.templates.get(name);
    if (!template) throw new CodegenError('template', `there is no template ${this.language}/${name}.hbs`);
    try {
      return template(view);
    } catch (error) {
      throw new CodegenError('template', `template ${this.language}/${name}.hbs failed: ${(error as Error).message}`);
    }
  }
}

function safeList(directory: string): string[] {
  try {
    return readdirSync(directory).sort();
  } catch {
    return [];
  }
}
