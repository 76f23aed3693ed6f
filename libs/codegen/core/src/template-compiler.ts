import Handlebars from 'handlebars';
import { CodegenError } from './codegen-error';

/** The output of one template (or partial) for a context. */
export type CompiledTemplate = (context: unknown, runtime: TemplateRuntime) => string;

/** What compiled templates call: the engine's partials, and Handlebars' rules for values. */
export interface TemplateRuntime {
  partial(name: string): CompiledTemplate;
  /** A mustache's value as text: strings pass through inline; this handles everything else. */
  text(value: unknown, owner: unknown, name: string, where: string): string;
  /** Handlebars' truthiness for #if and #unless: false, '', 0, null, undefined and [] are false. */
  truthy(value: unknown, where: string): boolean;
  /** Handlebars' emptiness for #with: like falsy, except that 0 is not empty. */
  empty(value: unknown, where: string): boolean;
  /** The items #each visits (the array itself for an array), or null when there are none. */
  items(value: unknown, where: string): unknown[] | null;
  /** The keys #each reports as @key: the array's indexes, or the object's own keys. */
  keys(value: unknown): (string | number)[];
  /** A standalone partial's output, every line indented as the partial tag was. */
  indent(text: string, indent: string): string;
}

const BLOCKS = new Set(['if', 'unless', 'each', 'with']);
/** Handlebars' built-in helpers: a lone `{{name}}` of one of these would call it. */
const HELPERS = new Set([...BLOCKS, 'lookup', 'log', 'helperMissing', 'blockHelperMissing']);
const DATA = new Set(['index', 'first', 'last', 'key']);

/**
 * Compiles a template to a plain JavaScript function. The syntax, the whitespace control
 * (standalone lines, `~`, partial indentation) and the meaning are Handlebars' own: the
 * source is parsed by `Handlebars.parse`, and strict lookups, truthiness, `../` and `@first`
 * behave as Handlebars with `{ noEscape: true, strict: true }`. But only what our templates
 * may use compiles — text, `{{path}}`, `#if`/`#unless`/`#each`/`#with` with `else`, and
 * partials with at most one context argument — so a template cannot call a helper. The
 * function appends text and values to one string; Handlebars' runtime spends most of a large
 * langpack's time on option objects, helper calls and lookups around the same appends.
 */
export function compileTemplate(source: string, name: string, options: { partial: boolean }): CompiledTemplate {
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parse(source);
  } catch (error) {
    throw new CodegenError('template', `template ${name} does not parse: ${(error as Error).message}`);
  }
  const writer = new Writer(name, options.partial);
  writer.program(program, { contexts: ['c0'], loop: null });
  writer.flush();
  const code = `"use strict";\nlet o, v, s = "";\n${writer.lines.join('\n')}\nreturn s;`;
  return new Function('c0', 'rt', code) as CompiledTemplate;
}

interface Loop {
  index: string;
  length: string;
  keys: string;
  usesKeys: boolean;
}

interface Scope {
  /** The JavaScript variables holding the contexts `this`, `..`, `../..`, … (innermost last). */
  contexts: string[];
  /** The innermost #each: its index, length and key variables, and whether its body reads @key. */
  loop: Loop | null;
}

/** Pieces appended by one statement at most: consecutive text and values share a statement. */
const PIECES_PER_STATEMENT = 16;

class Writer {
  readonly lines: string[] = [];
  private counter = 0;
  /** Expressions whose values (strings) are appended next, in order, by one `s += ...`. */
  private pending: string[] = [];

  constructor(
    private readonly name: string,
    private readonly partial: boolean,
  ) {}

  program(program: hbs.AST.Program | undefined, scope: Scope): void {
    for (const statement of program?.body ?? []) this.statement(statement, scope);
  }

  /** Writes the appends waiting, before a statement that is not one. */
  flush(): void {
    if (this.pending.length > 0) this.lines.push(`s += ${this.pending.join(' + ')};`);
    this.pending = [];
  }

  private append(expression: string): void {
    this.pending.push(expression);
    if (this.pending.length === PIECES_PER_STATEMENT) this.flush();
  }

  private line(...lines: string[]): void {
    this.flush();
    this.lines.push(...lines);
  }

  private statement(node: hbs.AST.Statement, scope: Scope): void {
    switch (node.type) {
      case 'ContentStatement': {
        const { value } = node as hbs.AST.ContentStatement;
        if (value !== '') this.append(JSON.stringify(value));
        return;
      }
      case 'CommentStatement':
        return;
      case 'MustacheStatement':
        return this.mustache(node as hbs.AST.MustacheStatement, scope);
      case 'BlockStatement':
        return this.block(node as hbs.AST.BlockStatement, scope);
      case 'PartialStatement':
        return this.partialCall(node as hbs.AST.PartialStatement, scope);
      default:
        throw this.error(node, `${node.type} is not supported: templates hold text, {{name}}, #if, #unless, #each, #with and partials`);
    }
  }

  private mustache(node: hbs.AST.MustacheStatement, scope: Scope): void {
    if (node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0 || node.path.type !== 'PathExpression') {
      throw this.error(node, 'helpers are not supported: the view model computes every value');
    }
    const path = node.path as hbs.AST.PathExpression;
    if (path.data) {
      this.append(`String(${this.data(path, scope)})`);
      return;
    }
    if (path.parts.length === 0) {
      // `{{this}}`: Handlebars does not check it in strict mode, it only prints it.
      this.append(`(v = ${this.context(path, scope)}, typeof v === "string" ? v : rt.text(v, undefined, "", ${this.where(node)}))`);
      return;
    }
    if (path.parts.length === 1 && path.depth === 0 && !/^(this\b|\.)/.test(path.original) && HELPERS.has(path.parts[0] as string)) {
      throw this.error(node, `{{${path.original}}} would call the helper ${path.parts[0]}`);
    }
    // Strict: every part but the last is read as it is; the last must exist on its owner.
    const owner = this.access(this.context(path, scope), path.parts.slice(0, -1), path);
    const last = this.property(path.parts[path.parts.length - 1] as string, path);
    this.append(`(o = ${owner}, v = o${last}, typeof v === "string" ? v : rt.text(v, o, ${JSON.stringify(path.parts[path.parts.length - 1])}, ${this.where(node)}))`);
  }

  private block(node: hbs.AST.BlockStatement, scope: Scope): void {
    const helper = node.path.original;
    if (!BLOCKS.has(helper) || node.params.length !== 1 || (node.hash?.pairs.length ?? 0) > 0 || (node.program?.blockParams?.length ?? 0) > 0) {
      throw this.error(node, `{{#${helper}}} is not supported: blocks are #if, #unless, #each and #with, each with one argument`);
    }
    const argument = this.expression(node.params[0] as hbs.AST.Expression, scope);
    const id = (this.counter += 1);
    const where = this.where(node);
    if (helper === 'if' || helper === 'unless') {
      this.line(`if (${helper === 'unless' ? '!' : ''}rt.truthy(${argument}, ${where})) {`);
      this.program(node.program, scope);
      this.elseBranch(node.inverse, scope);
      return;
    }
    if (helper === 'with') {
      const context = `c${id}`;
      this.line(`{ const ${context} = ${argument};`, `if (!rt.empty(${context}, ${where})) {`);
      this.program(node.program, { contexts: [...scope.contexts, context], loop: scope.loop });
      this.elseBranch(node.inverse, scope);
      this.line('}');
      return;
    }
    const [list, index, length, keys, context] = [`a${id}`, `i${id}`, `n${id}`, `k${id}`, `c${id}`];
    this.line(`{ const s${id} = ${argument}; const ${list} = rt.items(s${id}, ${where});`, `if (${list} !== null) {`);
    // Filled in once the body is written, if it reads @key.
    this.flush();
    const keysLine = this.lines.push('') - 1;
    this.line(`for (let ${index} = 0, ${length} = ${list}.length; ${index} < ${length}; ${index} += 1) {`, `const ${context} = ${list}[${index}];`);
    const loop: Loop = { index, length, keys, usesKeys: false };
    this.program(node.program, { contexts: [...scope.contexts, context], loop });
    if (loop.usesKeys) this.lines[keysLine] = `const ${keys} = rt.keys(s${id});`;
    this.line('}');
    this.elseBranch(node.inverse, scope);
    this.line('}');
  }

  private elseBranch(inverse: hbs.AST.Program | undefined, scope: Scope): void {
    if (inverse && inverse.body.length > 0) {
      this.line('} else {');
      this.program(inverse, scope);
    }
    this.line('}');
  }

  private partialCall(node: hbs.AST.PartialStatement, scope: Scope): void {
    if (node.name.type !== 'PathExpression' || node.params.length > 1 || (node.hash?.pairs.length ?? 0) > 0) {
      throw this.error(node, 'partials take a name and at most one context argument');
    }
    const name = JSON.stringify((node.name as hbs.AST.PathExpression).original);
    const context = node.params.length === 1 ? this.expression(node.params[0] as hbs.AST.Expression, scope) : (scope.contexts[scope.contexts.length - 1] as string);
    const call = `rt.partial(${name})(${context}, rt)`;
    this.append(node.indent ? `rt.indent(${call}, ${JSON.stringify(node.indent)})` : call);
  }

  /** A block's or partial's argument: read without the strict check, as Handlebars does for helper parameters. */
  private expression(node: hbs.AST.Expression, scope: Scope): string {
    if (node.type !== 'PathExpression') throw this.error(node, 'block and partial arguments are names, not literals or helper calls');
    const path = node as hbs.AST.PathExpression;
    if (path.data) return this.data(path, scope);
    return this.access(this.context(path, scope), path.parts, path);
  }

  private data(path: hbs.AST.PathExpression, scope: Scope): string {
    const [name, ...rest] = path.parts;
    if (this.partial || path.depth > 0 || rest.length > 0 || !DATA.has(name as string)) {
      throw this.error(path, `@${path.parts.join('.')} is not supported: use @index, @first, @last or @key inside #each`);
    }
    if (!scope.loop) throw this.error(path, `@${name} is only defined inside #each`);
    const { index, length, keys } = scope.loop;
    if (name === 'key') scope.loop.usesKeys = true;
    return { index, first: `(${index} === 0)`, last: `(${index} === ${length} - 1)`, key: `${keys}[${index}]` }[name as 'index' | 'first' | 'last' | 'key'];
  }

  private context(path: hbs.AST.PathExpression, scope: Scope): string {
    const context = scope.contexts[scope.contexts.length - 1 - path.depth];
    if (context === undefined) throw this.error(path, `{{${path.original}}} climbs above the template's context`);
    return context;
  }

  private access(base: string, parts: string[], path: hbs.AST.PathExpression): string {
    return base + parts.map((part) => this.property(part, path)).join('');
  }

  /** Handlebars reads own properties only; names the prototype of every object carries cannot be view fields. */
  private property(part: string, path: hbs.AST.PathExpression): string {
    if (part in Object.prototype) throw this.error(path, `{{${path.original}}} names ${part}, which every object inherits`);
    return /^[A-Za-z_$][\w$]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`;
  }

  private where(node: hbs.AST.Node): string {
    return JSON.stringify(`${this.name}:${node.loc?.start.line ?? '?'}`);
  }

  private error(node: hbs.AST.Node, message: string): CodegenError {
    return new CodegenError('template', `${this.name}:${node.loc?.start.line ?? '?'}: ${message}`);
  }
}

/** Handlebars would call a function it finds in the view model; ours only hold data. */
function refuseFunction(value: unknown, where: string): void {
  if (typeof value === 'function') throw new CodegenError('template', `${where}: the view model holds a function; templates receive data`);
}

/** The runtime the compiled templates call, one per engine (it resolves that engine's partials). */
export function templateRuntime(partial: (name: string) => CompiledTemplate): TemplateRuntime {
  return {
    partial,
    text(value, owner, name, where) {
      if (value === undefined && name !== '' && (owner === null || typeof owner !== 'object' || !(name in owner))) {
        throw new CodegenError('template', `${where}: "${name}" is not defined in the view model`);
      }
      refuseFunction(value, where);
      return value === null || value === undefined ? '' : String(value);
    },
    truthy(value, where) {
      refuseFunction(value, where);
      return Boolean(value) && !(Array.isArray(value) && value.length === 0);
    },
    empty(value, where) {
      refuseFunction(value, where);
      return (!value && value !== 0) || (Array.isArray(value) && value.length === 0);
    },
    items(value, where) {
      refuseFunction(value, where);
      if (value === null || typeof value !== 'object') return null;
      let items: unknown[];
      if (Array.isArray(value)) items = value;
      else if (Symbol.iterator in value) items = [...(value as Iterable<unknown>)];
      else items = Object.keys(value).map((key) => (value as Record<string, unknown>)[key]);
      return items.length > 0 ? items : null;
    },
    keys(value) {
      if (Array.isArray(value) || Symbol.iterator in (value as object)) return [...(value as Iterable<unknown>)].map((_, index) => index);
      return Object.keys(value as object);
    },
    indent(text, indent) {
      const lines = text.split('\n');
      for (let index = 0; index < lines.length; index += 1) {
        if (!lines[index] && index + 1 === lines.length) break;
        lines[index] = indent + lines[index];
      }
      return lines.join('\n');
    },
  };
}
