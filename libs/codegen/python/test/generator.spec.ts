import { applyFilesInMemory } from '@tagplan/catalog';
import { buildLangpackModel, CodegenError, packageNames } from '@tagplan/codegen-core';
import { conformanceCatalog, demoCatalog } from '@tagplan/codegen-testing';
import { generatePython } from '@tagplan/codegen-python';
import { catalogFrom, escapingCatalog } from './python-toolchain';

/** The Python generator's output as text: layout, metadata, names, collisions, reproducibility. */

const fileOf = (files: { path: string; content: string }[], name: string): string => {
  const found = files.find((file) => file.path === name);
  if (!found) throw new Error(`no generated file ${name}; have ${files.map((file) => file.path).join(', ')}`);
  return found.content;
};

function collisionOf(content: unknown): CodegenError {
  const catalog = catalogFrom(content);
  const environment = Object.keys((content as { environments: Record<string, unknown> }).environments)[0] as string;
  try {
    generatePython(buildLangpackModel(catalog, environment));
  } catch (error) {
    if (error instanceof CodegenError) return error;
    throw error;
  }
  throw new Error('expected a name collision');
}

const environmentOf = (events: string[]) => ({ 'collide-env': { owner: 'team-tagplan', description: 'Collisions.', common_fields: {}, events } });

describe('generatePython', () => {
  const demo = demoCatalog();
  const model = buildLangpackModel(demo, 'web-frontend');
  const files = generatePython(model);
  const module = packageNames('web-frontend').pythonModule;

  test('lays out a PEP 621 project with one typed import package', () => {
    expect(module).toBe('acme_tagplan_web_frontend');
    expect(files.map((file) => file.path)).toEqual([
      'README.md',
      `${module}/__init__.py`,
      `${module}/client.py`,
      `${module}/events.py`,
      `${module}/formats.py`,
      `${module}/py.typed`,
      `${module}/validation.py`,
      'pyproject.toml',
    ]);
  });

  test('every file carries the @generated line first', () => {
    for (const file of files) {
      const first = file.content.split('\n')[0] as string;
      expect(first).toContain(model.generatedBy);
      expect(first).toMatch(file.path.endsWith('.md') ? /^<!-- / : /^# /);
    }
  });

  test('pyproject.toml: name, version 0.G.N, Python >= 3.9, no dependencies, flit_core', () => {
    const pyproject = fileOf(files, 'pyproject.toml');
    expect(pyproject).toContain('name = "acme-tagplan-web-frontend"');
    expect(pyproject).toContain(`version = "${model.packageVersion}"`);
    expect(model.packageVersion).toMatch(/^0\.\d+\.\d+$/);
    expect(pyproject).toContain('requires-python = ">=3.9"');
    expect(pyproject).toContain('dependencies = []');
    expect(pyproject).toContain('build-backend = "flit_core.buildapi"');
    expect(pyproject).toContain(`name = "${module}"`);
  });

  test('the package version and the stack_ctx version are the model version', () => {
    expect(fileOf(files, `${module}/__init__.py`)).toContain(`__version__ = "${model.packageVersion}"`);
    expect(fileOf(files, `${module}/client.py`)).toContain(`LANGPACK_VERSION = "${model.packageVersion}"`);
  });

  test('one class per event, with descriptions as docstrings', () => {
    const events = fileOf(files, `${module}/events.py`);
    for (const event of model.events) expect(events).toContain(`EVENT_NAME: ClassVar[str] = "${event.name}"`);
    expect(events).toContain('class ItemViewed(Event):');
    expect(events).toContain('    """A user opened an item page (web) or item screen (iOS).');
    expect(events).toContain('Source = Literal["search", "feed", "recommendation", "saved_items", "deep_link"]');
    expect(events).toContain('SOURCE_SEARCH: Final = "search"');
    expect(events).toMatch(/def set_source\(self, value: Optional\[Source\]\) -> ItemViewed:/);
  });

  test('the README shows the install command and an example built from the environment', () => {
    const readme = fileOf(files, 'README.md');
    expect(readme).toContain(`pip install acme-tagplan-web-frontend==${model.packageVersion}`);
    expect(readme).toContain('from acme_tagplan_web_frontend import Client, ');
    expect(readme).toMatch(/client\.track\(\n {8}[A-Z]\w+\(/);
    for (const event of model.events) expect(readme).toContain(`| \`${event.name}\` |`);
    expect(readme).toContain('drops the event it was given (the newest)');
  });

  test('patterns are translated for Python re; formats and bounds become rule arguments', () => {
    const events = fileOf(files, `${module}/events.py`);
    expect(events).toContain('pattern=r"^u-[0-9]+\\Z"');
    expect(events).toContain('catalog_pattern=r"^u-[0-9]+$"');
    const conformance = generatePython(buildLangpackModel(conformanceCatalog(), 'conformance-env'));
    const text = fileOf(conformance, 'acme_tagplan_conformance_env/events.py');
    expect(text).toContain('pattern=r"^a[^\\n\\r\\u2028\\u2029]c\\Z"');
    expect(text).toContain('_N_RANGE = NumberRule("n_range", minimum=0.5, maximum=99.5)');
    expect(text).toContain('_S_EMAIL = StringRule("s_email", format="email")');
    expect(text).toContain('S_ENUM_UNI: Final = "ünï"');
  });

  test('is reproducible: the same model gives byte-identical files', () => {
    const again = generatePython(buildLangpackModel(demoCatalog(), 'web-frontend'));
    expect(again).toEqual(files);
    for (const environment of ['ios-app', 'backend-items']) {
      const first = generatePython(buildLangpackModel(demo, environment));
      expect(generatePython(buildLangpackModel(demo, environment))).toEqual(first);
    }
  });

  test("Python lines stay within 88 characters (Black's default) in the demo langpacks", () => {
    for (const environment of ['web-frontend', 'ios-app', 'backend-items']) {
      for (const file of generatePython(buildLangpackModel(demo, environment))) {
        if (!file.path.endsWith('.py')) continue;
        const long = file.content.split('\n').filter((line) => [...line].length > 88);
        expect({ file: file.path, long }).toEqual({ file: file.path, long: [] });
      }
    }
  });

  test('package names follow the configured prefix', () => {
    const named = generatePython(model, { prefix: 'globex', goModuleBase: 'example.com/x' });
    expect(fileOf(named, 'pyproject.toml')).toContain('name = "globex-tagplan-web-frontend"');
    expect(named.some((file) => file.path === 'globex_tagplan_web_frontend/events.py')).toBe(true);
  });
});

describe('names that clash with Python', () => {
  const files = generatePython(buildLangpackModel(escapingCatalog(), 'escaping-env'));
  const events = fileOf(files, 'acme_tagplan_escaping_env/events.py');

  test('keywords, builtins and taken names get a trailing underscore; setters keep the plain name', () => {
    expect(events).toContain('class Class(Event):');
    expect(events).toContain('class Import(Event):');
    expect(events).toContain('class Literal_(Event):');
    expect(events).toContain('class Client_(Event):');
    expect(events).toContain('class Event_(Event):');
    for (const name of ['class', 'from', 'import', 'self', 'id', 'property', 'str', 'to_data', 'type', 'list', 'object', 'int', 'float', 'bool', 'match']) {
      expect(events).toContain(`    def ${name}_(self) -> `);
      expect(events).toContain(`    def set_${name}(self, value: `);
    }
    for (const name of ['default', 'func', 'namespace', 'string', 'value', 'none', 'true']) {
      expect(events).toContain(`    def ${name}(self) -> `);
    }
    expect(events).toContain('        class_: str,');
    expect(events).toContain('        self_: str,');
  });

  test('enum values that are not identifiers still give constants', () => {
    expect(events).toContain('TYPE_1ST: Final = "1st"');
    expect(events).toContain('TYPE_CLASS: Final = "class"');
    expect(events).toContain('TYPE_A_B: Final = "a b"');
    expect(events).toContain('TYPE_UNI: Final = "ünï"');
    expect(events).toContain('TYPE_EMPTY: Final = ""');
    expect(events).toContain('TYPE_U1F600: Final = "😀"');
    expect(events).toContain('TYPE_NONE: Final = "None"');
    expect(events).toContain('LIST_X_1: Final = "x-1"');
    expect(events).toContain('Type_ = Literal["1st", "class", "a b", "ünï", "", "😀", "None", "type"]');
    expect(events).toContain('ListItem = Literal["x-1", "self"]');
  });

  test('descriptions with quotes and backslashes stay inside their docstrings', () => {
    expect(events).toContain('Quotes \\"\\"\\" and back\\\\slashes in a');
  });
});

describe('a field pinned at two versions in one environment', () => {
  test('gives a rule and a Literal type per version', () => {
    const environment = { 'v-env': { owner: 'o', description: 'd', common_fields: {}, events: ['e1', 'e2'] } };
    const result = applyFilesInMemory([
      { name: '1', content: { fields: { mode: { type: 'string', enum: ['a', 'b'] } }, events: { e1: { owner: 'o', description: 'd', fields: { mode: 'required' } }, e2: { owner: 'o', description: 'd', fields: { mode: 'required' } } }, environments: environment } },
      { name: '2', content: { fields: { mode: { type: 'string', enum: ['a', 'b', 'c'] } }, events: { e2: { owner: 'o', description: 'd', fields: { mode: 'required' } } }, environments: environment } },
    ]);
    if (!result.ok) throw new Error('the catalog is invalid');
    const model = buildLangpackModel(result.value, 'v-env');
    expect(model.events.map((event) => event.fields.map((field) => `${field.name}@${field.version}`))).toEqual([['mode@1'], ['mode@2']]);
    const events = fileOf(generatePython(model), 'acme_tagplan_v_env/events.py');
    expect(events).toContain('ModeV1 = Literal["a", "b"]');
    expect(events).toContain('ModeV2 = Literal["a", "b", "c"]');
    expect(events).toContain('_MODE_V1 = StringRule("mode", enum=("a", "b"))');
    expect(events).toContain('    def set_mode(self, value: ModeV2) -> E2:');
    expect(events).toContain('MODE_C: Final = "c"');
  });
});

describe('name collisions are generation errors naming both', () => {
  test('two enum values that give the same constant', () => {
    const error = collisionOf({
      fields: { mode: { type: 'string', enum: ['a-b', 'a_b'] } },
      events: { e: { owner: 'o', description: 'd', fields: { mode: 'required' } } },
      environments: environmentOf(['e']),
    });
    expect(error.code).toBe('name_collision');
    expect(error.message).toContain('enum value "a-b" of field mode');
    expect(error.message).toContain('enum value "a_b" of field mode');
    expect(error.message).toContain('MODE_A_B');
  });

  test("a field's property and another field's setter", () => {
    const error = collisionOf({
      fields: { source: { type: 'string' }, set_source: { type: 'string' } },
      events: { e: { owner: 'o', description: 'd', fields: { source: 'optional', set_source: 'optional' } } },
      environments: environmentOf(['e']),
    });
    expect(error.code).toBe('name_collision');
    expect(error.message).toMatch(/field set_source and the setter of field source|the setter of field source and field set_source/);
  });

  test('two events with the same class name', () => {
    const error = collisionOf({
      fields: { f: { type: 'string' } },
      events: { step_1: { owner: 'o', description: 'd', fields: { f: 'required' } }, step1: { owner: 'o', description: 'd', fields: { f: 'required' } } },
      environments: environmentOf(['step_1', 'step1']),
    });
    expect(error.code).toBe('name_collision');
    expect(error.message).toContain('event step1');
    expect(error.message).toContain('event step_1');
    expect(error.message).toContain('Step1');
  });

  test("an event class and an enum field's Literal type", () => {
    const error = collisionOf({
      fields: { source: { type: 'string', enum: ['a'] } },
      events: { source: { owner: 'o', description: 'd', fields: { source: 'required' } } },
      environments: environmentOf(['source']),
    });
    expect(error.code).toBe('name_collision');
    expect(error.message).toContain('event source');
    expect(error.message).toContain('the enum type of field source');
  });
});
