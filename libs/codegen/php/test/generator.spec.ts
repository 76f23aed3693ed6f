import { buildLangpackModel, CodegenError, type GeneratedFile } from '@tagplan/codegen-core';
import { conformanceCatalog, demoCatalog } from '@tagplan/codegen-testing';
import { generatePhp } from '@tagplan/codegen-php';
import { collisionCatalog, escapingCatalog } from './catalogs';

const DEMO_ENVIRONMENTS = ['web-frontend', 'ios-app', 'backend-items'];

function file(files: GeneratedFile[], path: string): string {
  const found = files.find((entry) => entry.path === path);
  if (!found) throw new Error(`no ${path} among ${files.map((entry) => entry.path).join(', ')}`);
  return found.content;
}

describe('generatePhp', () => {
  const catalog = demoCatalog();

  test('is reproducible: the same model gives byte-identical files', () => {
    for (const environment of DEMO_ENVIRONMENTS) {
      const first = generatePhp(buildLangpackModel(catalog, environment));
      const second = generatePhp(buildLangpackModel(demoCatalog(), environment));
      expect(second).toEqual(first);
    }
  });

  test('lays out a PSR-4 Composer package: one class per event, one enum per enum field', () => {
    const model = buildLangpackModel(catalog, 'web-frontend');
    const files = generatePhp(model);
    const paths = files.map((entry) => entry.path);
    expect(paths).toEqual(expect.arrayContaining(['composer.json', 'README.md', 'src/Client.php', 'src/Validator.php', 'src/Events/ItemViewed.php', 'src/Enums/Source.php']));
    expect(paths.filter((entry) => entry.startsWith('src/Events/'))).toHaveLength(model.events.length);
    for (const entry of files.filter((candidate) => candidate.path.endsWith('.php'))) {
      expect(entry.content.startsWith(`<?php\n\n/**\n * ${model.generatedBy}\n */\n\ndeclare(strict_types=1);\n`)).toBe(true);
    }
    expect(file(files, 'README.md').startsWith(`<!-- ${model.generatedBy} -->\n`)).toBe(true);
  });

  test('composer.json: name, PSR-4 namespace, PHP >= 8.1 and nothing else required', () => {
    const model = buildLangpackModel(catalog, 'web-frontend');
    const manifest = JSON.parse(file(generatePhp(model), 'composer.json')) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      name: 'acme/tagplan-web-frontend',
      type: 'library',
      require: { php: '>=8.1' },
      autoload: { 'psr-4': { 'Acme\\Tagplan\\WebFrontend\\': 'src/' } },
      extra: { tagplan: { 'generated-by': model.generatedBy, environment: 'web-frontend', 'environment-version': model.environment.version } },
    });
    expect(Object.keys(manifest['require'] as object)).toEqual(['php']);
    // Composer artifact repositories take the version from the archive's manifest (see codegen-packaging).
    expect(manifest['version']).toBeUndefined();
  });

  test('the package prefix is configurable', () => {
    const files = generatePhp(buildLangpackModel(catalog, 'backend-items'), { prefix: 'globex', goModuleBase: 'example.com/x' });
    expect(JSON.parse(file(files, 'composer.json'))).toMatchObject({ name: 'globex/tagplan-backend-items', autoload: { 'psr-4': { 'Globex\\Tagplan\\BackendItems\\': 'src/' } } });
    expect(file(files, 'src/Client.php')).toContain('namespace Globex\\Tagplan\\BackendItems;');
  });

  test('the README shows the install command and an example from the environment itself', () => {
    const model = buildLangpackModel(catalog, 'backend-items');
    const readme = file(generatePhp(model), 'README.md');
    expect(readme).toContain('composer require acme/tagplan-backend-items');
    const first = model.events[0];
    expect(first).toBeDefined();
    expect(first?.name).toBe('api_error');
    expect(readme).toContain('use Acme\\Tagplan\\BackendItems\\Events\\ApiError;');
    expect(readme).toContain('$client->track(');
    expect(readme).toMatch(/Where a call can wait/);
    expect(readme).toMatch(/Overflow policy/);
  });

  test('escapes PHP reserved words in class names, variables and enum cases', () => {
    const files = generatePhp(buildLangpackModel(escapingCatalog(), 'class-list'));
    const paths = files.map((entry) => entry.path);
    expect(paths).toEqual(expect.arrayContaining(['src/Events/Class_.php', 'src/Events/List_.php', 'src/Events/Function_.php', 'src/Events/Self_.php', 'src/Events/Int_.php', 'src/Events/Event.php']));
    const classEvent = file(files, 'src/Events/Class_.php');
    expect(classEvent).toContain('final class Class_ implements Event');
    expect(classEvent).toContain('?string $this_ = null,');
    expect(classEvent).toContain('public function setThis(?string $this_): self');
    expect(classEvent).toContain('public function setClass(string $class): self');
    // An event named "event" cannot import the Event interface under its own name.
    expect(file(files, 'src/Events/Event.php')).toContain('use Acme\\Tagplan\\ClassList\\Event as TagplanEvent;');
    expect(file(files, 'src/Events/Event.php')).toContain('final class Event implements TagplanEvent');
    // Nor an event named like an enum it carries, or like a runtime class it uses.
    expect(file(files, 'src/Events/Kind.php')).toContain('use Acme\\Tagplan\\ClassList\\Enums\\Kind as KindEnum;');
    expect(file(files, 'src/Events/Kind.php')).toContain('public function setKind(?KindEnum $kind): self');
    expect(file(files, 'src/Events/Assert.php')).toContain('use Acme\\Tagplan\\ClassList\\Internal\\Assert as TagplanAssert;');
    expect(file(files, 'src/Events/Assert.php')).toContain('TagplanAssert::maxLength(self::NAME, ');
    const kind = file(files, 'src/Enums/Kind.php');
    expect(kind).toContain("case Class_ = 'class';");
    expect(kind).toContain("case _1st = '1st';");
    expect(kind).toContain("case Uni = 'ünï';");
    expect(kind).toContain("case Empty = '';");
    expect(kind).toContain("case AB = 'a b';");
    expect(kind).toContain("case Get = 'GET';");
    // An array field named "item" gets another loop variable.
    expect(classEvent).toContain('foreach ($item as $element) {');
  });

  test.each([
    ['fields', /field item_1st and field item1st both become item1st in php/],
    ['events', /event item_viewed and event itemviewed both become Itemviewed in php/i],
    ['enum', /enum value "a-b" of field mode and enum value "a_b" of field mode both become AB in php/],
  ] as const)('two %s that collide after casing are a name_collision naming both', (kind, message) => {
    let caught: unknown;
    try {
      generatePhp(buildLangpackModel(collisionCatalog(kind), 'web'));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CodegenError);
    expect((caught as CodegenError).code).toBe('name_collision');
    expect((caught as CodegenError).message).toMatch(message);
  });

  test('the conformance langpack carries every constraint of the catalog', () => {
    const files = generatePhp(buildLangpackModel(conformanceCatalog(), 'conformance-env'));
    const event = file(files, 'src/Events/ConformanceEvent.php');
    for (const rule of ['minLength', 'maxLength', 'pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minItems', 'maxItems', 'uniqueItems']) {
      expect(event).toContain(`Assert::${rule}(self::NAME, `);
    }
    // "." and "$" are translated for PCRE: no line terminators, end of subject only.
    expect(event).toContain(String.raw`Assert::pattern(self::NAME, 's_dot_pattern', $sDotPattern, '/^a[^\\n\\r\\x{2028}\\x{2029}]c\\z/u', '^a.c$');`);
    expect(event).toContain("Assert::minItems(self::NAME, 'a_tags', $aTags, 1);");
    expect(event).toContain("Assert::maxLength(self::NAME, 'a_tags', $item, 5, items: true);");
  });
});
