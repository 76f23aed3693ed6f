import { buildLangpackModel, CodegenError, type FieldModel, type GeneratedFile, type LangpackModel } from '@tagplan/codegen-core';
import { conformanceCatalog, conformanceVectors, demoCatalog } from '@tagplan/codegen-testing';
import { buildTypescriptView, generateTypescript } from '@tagplan/codegen-typescript';
import { clashCatalog, ESCAPING_ENVIRONMENT, escapingCatalog } from './catalogs';
import { enumMemberName, quote } from '../src/typescript.facts';

const file = (files: GeneratedFile[], path: string): string => {
  const found = files.find((entry) => entry.path === path);
  if (!found) throw new Error(`no ${path} among ${files.map((entry) => entry.path).join(', ')}`);
  return found.content;
};

function collision(run: () => unknown): CodegenError {
  try {
    run();
  } catch (error) {
    if (error instanceof CodegenError) return error;
    throw error;
  }
  throw new Error('expected a CodegenError');
}

describe('generateTypescript', () => {
  const model = buildLangpackModel(demoCatalog(), 'web-frontend');
  const files = generateTypescript(model);

  test('is reproducible: the same model gives byte-identical files', () => {
    const again = generateTypescript(buildLangpackModel(demoCatalog(), 'web-frontend'));
    expect(again).toEqual(files);
    expect(JSON.stringify(again)).toBe(JSON.stringify(files));
  });

  test('lays out an npm package: JavaScript and declarations side by side, one module per event', () => {
    const paths = files.map((entry) => entry.path);
    expect(paths).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/client.js', 'dist/client.d.ts']));
    for (const event of model.events) {
      const module = event.name.replace(/_/g, '-');
      expect(paths).toContain(`dist/events/${module}.js`);
      expect(paths).toContain(`dist/events/${module}.d.ts`);
    }
    for (const path of paths.filter((entry) => entry.endsWith('.js'))) expect(paths).toContain(path.replace(/\.js$/, '.d.ts'));
  });

  test('marks every file as generated', () => {
    for (const entry of files) expect(entry.content).toContain(model.generatedBy);
    for (const entry of files.filter((candidate) => /\.(js|ts)$/.test(candidate.path))) expect(entry.content.split('\n')[0]).toBe(`// ${model.generatedBy}`);
    expect(file(files, 'README.md').split('\n')[0]).toBe(`<!-- ${model.generatedBy} -->`);
  });

  test('writes package.json for ESM with types, Node 18 and no dependencies', () => {
    const manifest = JSON.parse(file(files, 'package.json')) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      name: '@acme/tagplan-web-frontend',
      version: model.packageVersion,
      type: 'module',
      types: './dist/index.d.ts',
      exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
      files: ['dist', 'README.md'],
      engines: { node: '>=18' },
      sideEffects: false,
    });
    expect(manifest['dependencies']).toBeUndefined();
    expect(manifest['version']).toMatch(/^0\.\d+\.\d+$/);
  });

  test('takes package names from the configured prefix', () => {
    const named = generateTypescript(model, { prefix: 'globex', goModuleBase: 'example.com/x' });
    expect(JSON.parse(file(named, 'package.json'))).toMatchObject({ name: '@globex/tagplan-web-frontend' });
    expect(file(named, 'README.md')).toContain('npm install @globex/tagplan-web-frontend@');
  });

  test('imports nothing but its own modules, so it runs in browsers', () => {
    for (const entry of files.filter((candidate) => candidate.path.endsWith('.js'))) {
      const specifiers = [...entry.content.matchAll(/^(?:import|export)\b[^;]*?from '([^']+)'/gm)].map((match) => match[1]);
      for (const specifier of specifiers) expect(specifier).toMatch(/^\.\.?\//);
      expect(entry.content).not.toMatch(/\brequire\(/);
    }
    // The one exception is Node 18's Web Crypto, loaded behind a variable only where there is no global crypto.
    expect(file(files, 'dist/uuid.js')).toMatch(/const nodeCrypto = 'node:crypto';/);
  });

  test('writes the README from the environment’s own events', () => {
    const readme = file(files, 'README.md');
    expect(readme).toContain(`npm install @acme/tagplan-web-frontend@${model.packageVersion}`);
    for (const event of model.events) expect(readme).toContain(`\`${event.name}\` v${event.version}`);
    expect(readme).toMatch(/Queue overflow policy/);
    expect(readme).toMatch(/client\.track\(/);
  });

  test('turns descriptions into doc comments and keeps them from closing early', () => {
    const itemViewed = file(files, 'dist/events/item-viewed.d.ts');
    expect(itemViewed).toContain(' * A user opened an item page');
    const escaping = generateTypescript(buildLangpackModel(escapingCatalog(), ESCAPING_ENVIRONMENT));
    const object = file(escaping, 'dist/events/object.d.ts');
    expect(object).toContain('Its *\\/ description');
    expect(object.match(/\*\//g)?.length).toBe(object.match(/\/\*\*/g)?.length);
  });

  test('takes each pattern as the JavaScript dialect of the catalog pattern, quoted', () => {
    const conformance = generateTypescript(buildLangpackModel(conformanceCatalog(), conformanceVectors().environment));
    const module = file(conformance, 'dist/events/conformance-event.js');
    expect(module).toContain("s_unicode_pattern: { type: 'string', pattern: '^[à-ÿ]+$' },");
    expect(module).toContain("s_dot_pattern: { type: 'string', pattern: '^a.c$' },");
  });
});

describe('names', () => {
  const view = buildTypescriptView(buildLangpackModel(escapingCatalog(), ESCAPING_ENVIRONMENT));
  const event = (name: string) => view.events.find((entry) => entry.catalogName === name);

  test('events become PascalCase classes, escaped where they would shadow a global or the runtime', () => {
    expect(view.events.map((entry) => [entry.catalogName, entry.className, entry.initName, entry.dataName])).toEqual([
      ['event', 'Event_', 'EventInit', 'EventData'],
      ['object', 'Object_', 'ObjectInit', 'ObjectData'],
      ['promise', 'Promise_', 'PromiseInit', 'PromiseData'],
      ['tagplan_client', 'TagplanClient_', 'TagplanClientInit', 'TagplanClientData'],
    ]);
  });

  test('fields keep reserved words as property names, which JavaScript allows, and escape the members objects already have', () => {
    const properties = Object.fromEntries((event('object')?.fields ?? []).map((field) => [field.catalogName, field.property]));
    expect(properties).toMatchObject({
      class: 'class',
      default: 'default',
      import: 'import',
      namespace: 'namespace',
      let: 'let',
      await: 'await',
      constructor: 'constructor_',
      to_string: 'toString_',
      value_of: 'valueOf_',
      event_name: 'eventName_',
      to_data: 'toData_',
    });
    expect(event('object')?.fields.find((field) => field.catalogName === 'constructor')?.setter).toBe('setConstructor');
  });

  test('enum values become identifiers, whatever their text', () => {
    expect(view.enums.map((entry) => entry.name)).toEqual(['String_', 'Type']);
    expect(view.enums[1]?.members.map((member) => member.name)).toEqual(['Class', '_1st', 'AB', 'Ünï', 'Empty', 'Default', 'GET', 'Get', 'Constructor', 'Proto']);
    expect(enumMemberName('price_low_to_high')).toBe('PriceLowToHigh');
    expect(enumMemberName('eu-west-1')).toBe('EuWest1');
    expect(enumMemberName('😀 smile')).toBe('Smile');
  });

  test('string literals are quoted for JavaScript', () => {
    expect(quote("it's")).toBe("'it\\'s'");
    expect(quote('a\\b\n\u2028')).toBe("'a\\\\b\\n\\u2028'");
  });

  test('one enum per field, versioned only when the versions in the environment differ in values', () => {
    const mode = (version: number, values: string[]): FieldModel => ({
      name: 'mode',
      version,
      required: false,
      common: false,
      description: '',
      examples: [],
      pii: 'none',
      type: { type: 'string', enum: values },
    });
    const modelOf = (fields: FieldModel[][]): LangpackModel => ({
      environment: { name: 'modes', version: 1, description: '', owner: 'o' },
      packageVersion: '0.1.1',
      interfaceVersion: 1,
      generatedBy: '@generated by tagplan 0.1.1 from modes@1 — do not edit',
      events: fields.map((eventFields, index) => ({ name: `event_${index}`, version: 1, description: '', owner: 'o', fields: eventFields })),
    });
    const differing = buildTypescriptView(modelOf([[mode(1, ['a', 'b'])], [mode(2, ['a', 'b', 'c'])]]));
    expect(differing.enums.map((entry) => entry.name)).toEqual(['ModeV1', 'ModeV2']);
    expect(differing.events.map((entry) => entry.fields[0]?.inputType)).toEqual(['ModeV1', 'ModeV2']);
    const same = buildTypescriptView(modelOf([[mode(1, ['a', 'b'])], [mode(2, ['a', 'b'])]]));
    expect(same.enums.map((entry) => entry.name)).toEqual(['Mode']);
    const items = buildTypescriptView(modelOf([[{ ...mode(1, []), type: { type: 'array', items: { type: 'string', enum: ['x', 'y'] } } }]]));
    expect(items.enums.map((entry) => entry.name)).toEqual(['ModeItem']);
    expect(items.events[0]?.fields[0]).toMatchObject({ inputType: 'readonly ModeItem[]', dataType: 'ModeItem[]', getterType: 'readonly ModeItem[] | undefined' });
  });
});

describe('name collisions', () => {
  test('two fields that become the same property name both', () => {
    const error = collision(() => generateTypescript(buildLangpackModel(clashCatalog({ user_2: { type: 'string' }, user2: { type: 'string' } }, { signed_up: ['user_2', 'user2'] }), 'clash')));
    expect(error.code).toBe('name_collision');
    expect(error.message).toMatch(/field user_2 and field user2 both become user2/);
  });

  test('a field and another field’s setter', () => {
    const error = collision(() => generateTypescript(buildLangpackModel(clashCatalog({ set_name: { type: 'string' }, name: { type: 'string' } }, { renamed: ['set_name', 'name'] }), 'clash')));
    expect(error.code).toBe('name_collision');
    expect(error.message).toMatch(/field set_name and field name \(its setter\) both become setName/);
  });

  test('two enum values that become the same member', () => {
    const error = collision(() => generateTypescript(buildLangpackModel(clashCatalog({ mode: { type: 'string', enum: ['a-b', 'a_b'] } }, { switched: ['mode'] }), 'clash')));
    expect(error.code).toBe('name_collision');
    expect(error.message).toMatch(/enum value "a-b" and enum value "a_b" both become AB/);
  });

  test('an event and another event’s Init type', () => {
    const error = collision(() => generateTypescript(buildLangpackModel(clashCatalog({}, { order: [], order_init: [] }), 'clash')));
    expect(error.code).toBe('name_collision');
    expect(error.message).toMatch(/event order \(its Init type\) and event order_init both become OrderInit|event order_init and event order \(its Init type\) both become OrderInit/);
  });

  test('an event and an enum', () => {
    const error = collision(() => generateTypescript(buildLangpackModel(clashCatalog({ status: { type: 'string', enum: ['on', 'off'] } }, { status: ['status'] }), 'clash')));
    expect(error.code).toBe('name_collision');
    expect(error.message).toMatch(/the enum of field status and event status both become Status/);
  });
});
