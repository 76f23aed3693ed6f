import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Handlebars from 'handlebars';
import { CodegenError, TEMPLATES_ROOT, TemplateEngine } from '@tagplan/codegen-core';
import { compileTemplate } from '../src/template-compiler';

/**
 * The engine compiles templates itself (template-compiler.ts) but must mean what Handlebars
 * means with `{ noEscape: true, strict: true }`: each case renders through both and compares.
 */
const PARTIALS: Record<string, string> = {
  doc: '{{#each this}}\n//{{#if this}} {{this}}{{/if}}\n{{/each}}\n',
  header: '// {{generatedBy}}\n',
  item: '- {{name}}{{#if last}} (last){{/if}}\n',
};

const VIEW = {
  generatedBy: '@generated — do not edit',
  name: 'item_viewed',
  count: 0,
  version: 3,
  flag: false,
  empty: '',
  none: null,
  lines: ['first line', '', 'third <b> & "quoted"'],
  nothing: [],
  nested: { label: 'inner', deeper: { value: 42 } },
  fields: [
    { name: 'a', required: true, type: 'string', doc: ['A.'] },
    { name: 'b', required: false, type: 'int', doc: [] },
    { name: 'c', required: true, type: 'bool', doc: ['C.', 'more'] },
  ],
  byKey: { x: 'ex', y: 'why' },
};

const CASES: Record<string, string> = {
  text: 'plain text\n  indented\n',
  values: '{{name}} {{{name}}} {{version}} {{count}} {{flag}} [{{empty}}] [{{none}}] {{nested.label}} {{nested.deeper.value}}\n',
  this: '{{#each lines}}[{{this}}][{{.}}]{{/each}}\n',
  ifElse: '{{#if flag}}yes{{else}}no{{/if}} {{#if count}}count{{else}}zero{{/if}} {{#if nothing}}some{{else}}none{{/if}} {{#if lines}}lines{{/if}}\n',
  elseIf: '{{#each fields}}{{#if required}}R{{else if doc.length}}D{{else}}-{{/if}}{{/each}}\n',
  unless: '{{#unless flag}}not flag{{else}}flag{{/unless}}\n',
  standalone: 'start\n{{#each fields}}\n  {{name}}: {{type}}\n{{/each}}\nend\n',
  data: '{{#each fields}}{{@index}}:{{name}}{{#unless @first}} (not first){{/unless}}{{#if @last}} (last){{/if}}\n{{/each}}',
  keys: '{{#each byKey}}{{@key}}={{this}};{{/each}} {{#each lines}}{{@key}}{{/each}}\n',
  parents: '{{#each fields}}{{../name}}.{{name}} {{#if required}}{{../version}}{{/if}}\n{{/each}}',
  with: '{{#with nested}}{{label}} {{deeper.value}} {{../name}}{{/with}} {{#with none}}x{{else}}no nested{{/with}}\n',
  eachElse: '{{#each nothing}}x{{else}}empty{{/each}}\n',
  partials: '{{> header}}\n{{> doc lines}}\n{{#each fields}}\n{{> doc doc}}\n{{/each}}\n',
  indentedPartial: 'class X {\n    {{> doc lines}}\n  {{> header}}\n}\n',
  tilde: '{{#each fields~}}\n  {{name}}\n{{~/each}}\n[ {{~name~}} ]\n',
  comments: 'a\n{{! a comment }}\nb {{!-- another }} --}}\n',
};

function withEngine(templates: Record<string, string>, run: (engine: TemplateEngine) => void): void {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tagplan-templates-'));
  try {
    mkdirSync(path.join(root, 'lang', 'partials'), { recursive: true });
    for (const [name, text] of Object.entries(PARTIALS)) writeFileSync(path.join(root, 'lang', 'partials', `${name}.hbs`), text);
    for (const [name, text] of Object.entries(templates)) writeFileSync(path.join(root, 'lang', `${name}.hbs`), text);
    run(new TemplateEngine('lang', root));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function handlebars(template: string, view: object): string {
  const environment = Handlebars.create();
  for (const [name, text] of Object.entries(PARTIALS)) environment.registerPartial(name, text);
  return environment.compile(template, { noEscape: true, strict: true })(view);
}

describe('TemplateEngine renders as Handlebars does', () => {
  test.each(Object.entries(CASES))('%s', (name, template) => {
    withEngine({ [name]: template }, (engine) => {
      expect(engine.render(name, VIEW)).toBe(handlebars(template, VIEW));
    });
  });

  test('a name missing from the view model is an error, as in strict Handlebars', () => {
    const templates = { missing: 'a {{missing}} b\n', nested: '{{nested.missing}}\n', inEach: '{{#each fields}}{{nope}}{{/each}}\n' };
    withEngine(templates, (engine) => {
      for (const [name, template] of Object.entries(templates)) {
        expect(() => handlebars(template, VIEW)).toThrow();
        expect(() => engine.render(name, VIEW)).toThrow(CodegenError);
      }
      expect(() => engine.render('missing', VIEW)).toThrow(/lang\/missing\.hbs failed: lang\/missing\.hbs:1: "missing" is not defined/);
    });
  });

  test('block arguments may be missing, as Handlebars allows', () => {
    withEngine({ optional: '{{#if absent}}x{{else}}y{{/if}}{{#each absent}}z{{/each}}\n' }, (engine) => {
      expect(engine.render('optional', VIEW)).toBe(handlebars('{{#if absent}}x{{else}}y{{/if}}{{#each absent}}z{{/each}}\n', VIEW));
    });
  });
});

describe('TemplateEngine accepts loops and ifs only', () => {
  test.each([
    ['a helper call', '{{lookup fields 0}}'],
    ['a custom block', '{{#list fields}}x{{/list}}'],
    ['a hash argument', '{{#each fields key=1}}x{{/each}}'],
    ['a builtin helper as a name', '{{log}}'],
    ['an inherited name', '{{constructor}}'],
    ['@root', '{{@root.name}}'],
    ['@index outside #each', '{{@index}}'],
    ['block parameters', '{{#each fields as |field|}}{{field.name}}{{/each}}'],
    ['a partial with a hash', '{{> header name=1}}'],
    ['climbing above the root', '{{../name}}'],
  ])('refuses %s', (_, template) => {
    withEngine({ refused: template }, (engine) => {
      expect(() => engine.render('refused', VIEW)).toThrow(CodegenError);
    });
  });

  test('a function in the view model is refused rather than called', () => {
    withEngine({ fn: '{{name}}\n' }, (engine) => {
      expect(() => engine.render('fn', { name: () => 'called' })).toThrow(/holds a function/);
    });
  });
});

test('every template of every language compiles', () => {
  for (const language of readdirSync(TEMPLATES_ROOT)) {
    for (const folder of [language, `${language}/partials`]) {
      const files = readdirSync(path.join(TEMPLATES_ROOT, folder)).filter((file) => file.endsWith('.hbs'));
      for (const file of files) {
        const text = readFileSync(path.join(TEMPLATES_ROOT, folder, file), 'utf8');
        expect(() => compileTemplate(text, `${folder}/${file}`, { partial: folder.endsWith('partials') })).not.toThrow();
      }
    }
  }
});
