import {
  casing,
  jsonKey,
  packageNames,
  PATTERN_DIALECTS,
  translatePattern,
  type EventModel,
  type FieldModel,
  type FieldType,
  type LangpackModel,
  type PackageNaming,
  type ScalarType,
} from '@tagplan/codegen-core';
import { DATE_PATTERN, DATE_TIME_PATTERN, EMAIL_PATTERN, URI_PATTERN, UUID_PATTERN } from '@tagplan/json-schema';
import {
  bindingName,
  bindingNamer,
  docComment,
  docLines,
  enumMemberName,
  LANGPACK_LANGUAGE,
  literal,
  memberNamer,
  moduleName,
  quote,
  RUNTIME_EXPORTS,
  scope,
} from './typescript.facts';

/**
 * The view model the TypeScript templates render: every identifier cased, escaped and
 * checked for collisions, every literal already quoted. Templates only loop and branch.
 */
export interface TypescriptView {
  generatedBy: string;
  packageName: string;
  packageVersion: string;
  environmentName: string;
  environmentVersion: number;
  langpack: string;
  /** Quoted JavaScript literals of the same facts. */
  literals: { packageName: string; packageVersion: string; environmentName: string; langpack: string };
  /** package.json values, JSON-encoded. */
  json: { generatedBy: string; packageName: string; packageVersion: string; description: string; environmentName: string };
  environmentDocLines: string[];
  /** The format regexes of libs/json-schema, quoted: one definition for the registry and every langpack. */
  formats: { date: string; dateTime: string; uri: string; email: string; uuid: string };
  events: EventView[];
  enums: EnumView[];
  hasEnums: boolean;
  readme: ReadmeView;
}

export interface EventView {
  className: string;
  initName: string;
  dataName: string;
  /** The module under dist/events/, without extension. */
  module: string;
  catalogName: string;
  nameLiteral: string;
  version: number;
  owner: string;
  doc: string;
  fields: FieldView[];
  requiredFields: FieldView[];
  optionalFields: FieldView[];
  hasRequired: boolean;
  /** The enum types the event's declarations name, comma-separated, or '' when none. */
  enumImports: string;
  hasEnumImports: boolean;
  requiredLiteral: string;
}

export interface FieldView {
  catalogName: string;
  /** The key in the wire data and the schema: the catalog name, always an identifier name. */
  wireName: string;
  nameLiteral: string;
  /** The getter and the key of the Init object. */
  property: string;
  /** What the getter returns, reading the wire data. */
  read: string;
  setter: string;
  required: boolean;
  common: boolean;
  /** What the setter and the Init object take. */
  inputType: string;
  /** What the getter returns (`| undefined` for an optional field). */
  getterType: string;
  /** The type in the wire data interface. */
  dataType: string;
  /**
   * Doc-comment body lines (`   * …`), indented for a member: the description then the
   * rules (Init key), the description alone (getter), the rules alone (setter).
   */
  describedBody: string;
  descriptionBody: string;
  rulesBody: string;
  /** Doc links to the getter (with the wire name as text) and to the Init key. */
  getterLink: string;
  initLink: string;
  schemaLiteral: string;
  version: number;
}

export interface EnumView {
  name: string;
  doc: string;
  members: { name: string; literal: string }[];
}

export interface ReadmeView {
  install: string;
  example: string;
  importNames: string;
  /** A setter and a getter of the example's event, e.g. `setSource(…)` and `event.source`. */
  setterMention: string;
  getterMention: string;
  /** An enum of the environment: its union (shortened) and one constant, when there is one. */
  enumMention: { union: string; constant: string } | false;
  events: { catalogName: string; version: number; className: string; module: string; required: string; summary: string }[];
}

export function buildTypescriptView(model: LangpackModel, naming?: PackageNaming): TypescriptView {
  const names = packageNames(model.environment.name, naming);
  const packageScope = scope(`the exports of ${names.npm}`);
  for (const runtimeExport of RUNTIME_EXPORTS) packageScope.claim(runtimeExport, `the runtime's ${runtimeExport}`);
  const modules = scope(`the event modules of ${names.npm}`);

  const enums = collectEnums(model.events, packageScope);
  const cache: FactsCache = { versions: new Map(), fields: new Map() };
  const events = model.events.map((event) => eventView(event, enums, packageScope, modules, cache));

  const environment = model.environment;
  return {
    generatedBy: model.generatedBy,
    packageName: names.npm,
    packageVersion: model.packageVersion,
    environmentName: environment.name,
    environmentVersion: environment.version,
    langpack: LANGPACK_LANGUAGE,
    literals: {
      packageName: quote(names.npm),
      packageVersion: quote(model.packageVersion),
      environmentName: quote(environment.name),
      langpack: quote(LANGPACK_LANGUAGE),
    },
    json: {
      generatedBy: JSON.stringify(model.generatedBy),
      packageName: JSON.stringify(names.npm),
      packageVersion: JSON.stringify(model.packageVersion),
      description: JSON.stringify(
        `Typed Tagplan events and client for ${environment.name}@${environment.version}${environment.description ? `: ${oneLine(environment.description)}` : ''}`,
      ),
      environmentName: JSON.stringify(environment.name),
    },
    environmentDocLines: docLines(environment.description),
    formats: {
      date: quote(DATE_PATTERN),
      dateTime: quote(DATE_TIME_PATTERN),
      uri: quote(URI_PATTERN),
      email: quote(EMAIL_PATTERN),
      uuid: quote(UUID_PATTERN),
    },
    events,
    enums: [...enums.views],
    hasEnums: enums.views.length > 0,
    readme: readmeView(names.npm, model, events, enums.views),
  };
}

interface EnumRegistry {
  views: EnumView[];
  /** `<field>@<version>` (or `<field>@<version>[]` for array items) → enum type name. */
  byField: Map<string, string>;
}

/**
 * One exported enum per distinct value list of a field: `Source` when every version of
 * `source` in the environment has the same values, `SourceV1`/`SourceV2` when they differ;
 * array items get an `Item` suffix (`TagsItem`).
 */
function collectEnums(events: EventModel[], packageScope: ReturnType<typeof scope>): EnumRegistry {
  interface Variant {
    values: string[];
    versions: number[];
    field: FieldModel;
  }
  const groups = new Map<string, { field: string; item: boolean; variants: Map<string, Variant> }>();
  for (const event of events) {
    for (const field of event.fields) {
      const values = enumValues(field.type);
      if (!values) continue;
      const item = field.type.type === 'array';
      const groupKey = `${field.name}${item ? '[]' : ''}`;
      const group = groups.get(groupKey) ?? { field: field.name, item, variants: new Map<string, Variant>() };
      groups.set(groupKey, group);
      const variantKey = jsonKey(values);
      const variant = group.variants.get(variantKey) ?? { values, versions: [], field };
      if (!variant.versions.includes(field.version)) variant.versions.push(field.version);
      group.variants.set(variantKey, variant);
    }
  }
  const views: EnumView[] = [];
  const byField = new Map<string, string>();
  for (const groupKey of [...groups.keys()].sort()) {
    const group = groups.get(groupKey) as { field: string; item: boolean; variants: Map<string, Variant> };
    const variants = [...group.variants.values()].map((variant) => ({ ...variant, versions: [...variant.versions].sort((a, b) => a - b) }));
    variants.sort((a, b) => (a.versions[0] as number) - (b.versions[0] as number));
    for (const variant of variants) {
      const base = `${casing.pascal(group.field)}${variants.length > 1 ? `V${variant.versions[0] as number}` : ''}${group.item ? 'Item' : ''}`;
      const name = packageScope.claim(bindingName(base), `the enum of field ${group.field}${variants.length > 1 ? `@${variant.versions.join(',')}` : ''}${group.item ? ' (items)' : ''}`);
      const memberScope = scope(`the enum ${name}`);
      const members = variant.values.map((value) => ({
        name: memberScope.claim(enumMemberName(value), `enum value ${JSON.stringify(value)}`),
        literal: quote(value),
      }));
      const what = `The values of \`${group.field}\`${group.item ? ' items' : ''} (field ${group.field}@${variant.versions.join(', @')}).`;
      const description = docLines(variant.field.description);
      views.push({ name, doc: docComment([...description, ...(description.length > 0 ? [''] : []), what]), members });
      for (const version of variant.versions) byField.set(`${group.field}@${version}${group.item ? '[]' : ''}`, name);
    }
  }
  return { views, byField };
}

function enumValues(type: FieldType): string[] | undefined {
  const scalar = type.type === 'array' ? type.items : type;
  return scalar.type === 'string' ? scalar.enum : undefined;
}

/** What a field version gives every event that carries it, worked out once per environment. */
interface VersionFacts {
  property: string;
  setter: string;
  read: string;
  nameLiteral: string;
  types: { input: string; getter: string; data: string; enumName?: string };
  /** The description as doc-comment lines. */
  description: string[];
  schemaLiteral: string;
}

/** A field version's facts where it is required (or optional, common...): its types and doc comments then depend on it. */
interface FieldFacts extends VersionFacts {
  getterType: string;
  /** Doc-comment body lines (`   * …`) of the description then the rules, of the description alone, of the rules alone. */
  describedBody: string;
  descriptionBody: string;
  rulesBody: string;
}

interface FactsCache {
  versions: Map<string, VersionFacts>;
  fields: Map<string, FieldFacts>;
}

const MEMBER_INDENT = '  ';

function docBody(lines: string[]): string {
  return lines.map((line) => (line === '' ? `${MEMBER_INDENT} *` : `${MEMBER_INDENT} * ${line}`)).join('\n');
}

function fieldFacts(field: FieldModel, enums: EnumRegistry, cache: FactsCache): FieldFacts {
  const key = `${field.name}@${field.version}:${field.required ? 'r' : 'o'}${field.common ? 'c' : ''}`;
  const cached = cache.fields.get(key);
  if (cached) return cached;
  const versionKey = `${field.name}@${field.version}`;
  let version = cache.versions.get(versionKey);
  if (!version) {
    version = versionFacts(field, enums);
    cache.versions.set(versionKey, version);
  }
  const description = version.description;
  const rules = docLines(rulesSummary(field), 92);
  const facts: FieldFacts = {
    ...version,
    getterType: field.required ? version.types.getter : `${version.types.getter} | undefined`,
    describedBody: docBody([...description, ...(description.length > 0 ? [''] : []), ...rules]),
    descriptionBody: docBody(description.length > 0 ? description : rules),
    rulesBody: docBody(rules),
  };
  cache.fields.set(key, facts);
  return facts;
}

function versionFacts(field: FieldModel, enums: EnumRegistry): VersionFacts {
  return {
    property: memberNamer.identifier(field.name, 'camel'),
    setter: `set${casing.pascal(field.name)}`,
    // `this._data.constructor` would find Object.prototype's when the field is not set.
    read:
      field.name in Object.prototype
        ? `Object.prototype.hasOwnProperty.call(this._data, ${quote(field.name)}) ? this._data.${field.name} : undefined`
        : `this._data.${field.name}`,
    nameLiteral: quote(field.name),
    types: fieldTypes(field, enums.byField),
    description: docLines(field.description, 92),
    schemaLiteral: literal(schemaOf(field.type), '    ', 100 - field.name.length - 2),
  };
}

function eventView(
  event: EventModel,
  enums: EnumRegistry,
  packageScope: ReturnType<typeof scope>,
  modules: ReturnType<typeof scope>,
  cache: FactsCache,
): EventView {
  const source = `event ${event.name}`;
  const className = packageScope.claim(bindingNamer.identifier(event.name, 'pascal'), source);
  const pascal = casing.pascal(event.name);
  const initName = packageScope.claim(bindingName(`${pascal}Init`), `${source} (its Init type)`);
  const dataName = packageScope.claim(bindingName(`${pascal}Data`), `${source} (its Data type)`);
  const module = modules.claim(moduleName(event.name), source);

  const members = scope(`the members of ${className}`);
  const usedEnums = new Set<string>();
  const fields = event.fields.map((field): FieldView => {
    const facts = fieldFacts(field, enums, cache);
    const property = members.claim(facts.property, `field ${field.name}`);
    const setter = members.claim(facts.setter, `field ${field.name} (its setter)`);
    if (facts.types.enumName) usedEnums.add(facts.types.enumName);
    return {
      catalogName: field.name,
      wireName: field.name,
      nameLiteral: facts.nameLiteral,
      property,
      read: facts.read,
      setter,
      required: field.required,
      common: field.common,
      inputType: facts.types.input,
      getterType: facts.getterType,
      dataType: facts.types.data,
      describedBody: facts.describedBody,
      descriptionBody: facts.descriptionBody,
      rulesBody: facts.rulesBody,
      getterLink: `{@link ${className}.${property} | ${field.name}}`,
      initLink: `{@link ${initName}.${property}}`,
      schemaLiteral: facts.schemaLiteral,
      version: field.version,
    };
  });
  const requiredFields = fields.filter((field) => field.required);
  const description = docLines(event.description);
  return {
    className,
    initName,
    dataName,
    module,
    catalogName: event.name,
    nameLiteral: quote(event.name),
    version: event.version,
    owner: event.owner,
    doc: docComment([...description, ...(description.length > 0 ? [''] : []), `Catalog event \`${event.name}\` version ${event.version}, owned by ${event.owner}.`]),
    fields,
    requiredFields,
    optionalFields: fields.filter((field) => !field.required),
    hasRequired: requiredFields.length > 0,
    enumImports: [...usedEnums].sort().join(', '),
    hasEnumImports: usedEnums.size > 0,
    requiredLiteral: literal(requiredFields.map((field) => field.wireName), '  ', 100 - 12),
  };
}

function fieldTypes(field: FieldModel, enums: Map<string, string>): { input: string; getter: string; data: string; enumName?: string } {
  const type = field.type;
  if (type.type === 'array') {
    const enumName = enums.get(`${field.name}@${field.version}[]`);
    const item = enumName ?? scalarType(type.items);
    return { input: `readonly ${item}[]`, getter: `readonly ${item}[]`, data: `${item}[]`, ...(enumName ? { enumName } : {}) };
  }
  const enumName = enums.get(`${field.name}@${field.version}`);
  const scalar = enumName ?? scalarType(type);
  return { input: scalar, getter: scalar, data: scalar, ...(enumName ? { enumName } : {}) };
}

function scalarType(type: ScalarType): string {
  switch (type.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
  }
}

/** The field's type and rules as the runtime reads them: the JSON Schema keywords, in a fixed order. */
function schemaOf(type: FieldType): Record<string, unknown> {
  if (type.type === 'array') {
    return { type: 'array', items: schemaOf(type.items), minItems: type.minItems, maxItems: type.maxItems, uniqueItems: type.uniqueItems };
  }
  switch (type.type) {
    case 'string':
      return {
        type: 'string',
        enum: type.enum,
        pattern: type.pattern === undefined ? undefined : translatePattern(type.pattern, PATTERN_DIALECTS.javascript),
        format: type.format,
        minLength: type.minLength,
        maxLength: type.maxLength,
      };
    case 'integer':
    case 'number':
      return {
        type: type.type,
        minimum: type.minimum,
        exclusiveMinimum: type.exclusiveMinimum,
        maximum: type.maximum,
        exclusiveMaximum: type.exclusiveMaximum,
      };
    case 'boolean':
      return { type: 'boolean' };
  }
}

/** "An integer, at least 1." — what a reader of the doc comment needs to pass the checks. */
function rulesSummary(field: FieldModel): string {
  const type = field.type;
  const scalarRules = (scalar: ScalarType): string[] => {
    const rules: string[] = [];
    if (scalar.type === 'string') {
      if (scalar.enum) rules.push(`one of ${scalar.enum.map((value) => `\`${JSON.stringify(value)}\``).join(', ')}`);
      if (scalar.pattern !== undefined) rules.push(`matching \`${scalar.pattern}\``);
      if (scalar.format !== undefined) rules.push(`a valid ${scalar.format}`);
      if (scalar.minLength !== undefined) rules.push(`at least ${scalar.minLength} characters`);
      if (scalar.maxLength !== undefined) rules.push(`at most ${scalar.maxLength} characters`);
    } else if (scalar.type === 'integer' || scalar.type === 'number') {
      if (scalar.minimum !== undefined) rules.push(`≥ ${scalar.minimum}`);
      if (scalar.exclusiveMinimum !== undefined) rules.push(`> ${scalar.exclusiveMinimum}`);
      if (scalar.maximum !== undefined) rules.push(`≤ ${scalar.maximum}`);
      if (scalar.exclusiveMaximum !== undefined) rules.push(`< ${scalar.exclusiveMaximum}`);
    }
    return rules;
  };
  const article = (word: string) => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);
  let text: string;
  if (type.type === 'array') {
    const rules: string[] = [];
    if (type.minItems !== undefined) rules.push(`at least ${type.minItems} items`);
    if (type.maxItems !== undefined) rules.push(`at most ${type.maxItems} items`);
    if (type.uniqueItems) rules.push('no duplicates');
    const items = scalarRules(type.items);
    text = `An array of ${type.items.type}s${rules.length > 0 ? `, ${rules.join(', ')}` : ''}${items.length > 0 ? `; each item ${items.join(', ')}` : ''}.`;
  } else {
    const rules = scalarRules(type);
    text = `${capitalise(article(type.type))}${rules.length > 0 ? `, ${rules.join(', ')}` : ''}.`;
  }
  const pii = field.pii === 'hash' ? ' The collector stores it hashed.' : field.pii === 'drop' ? ' The collector removes it before storage.' : '';
  return `${field.required ? 'Required' : 'Optional'}${field.common ? ', common to every event of the environment' : ''}. ${text}${pii}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function readmeView(packageName: string, model: LangpackModel, events: EventView[], enums: EnumView[]): ReadmeView {
  const install = `npm install ${packageName}@${model.packageVersion}`;
  const enumNames = new Set(enums.map((entry) => entry.name));
  const ownOptional = (event: EventView) => event.optionalFields.filter((field) => !field.common);
  // Best shown: an event with required fields and an optional enum field of its own (a setter taking a union).
  const sample =
    events.find((event) => event.hasRequired && ownOptional(event).some((field) => enumNames.has(field.inputType))) ??
    events.find((event) => event.hasRequired && ownOptional(event).length > 0) ??
    events.find((event) => event.optionalFields.length > 0) ??
    events[0];
  const modelEvent = sample ? model.events.find((event) => event.name === sample.catalogName) : undefined;
  let example = '// This environment has no events yet.';
  let importNames = 'TagplanClient';
  if (sample && modelEvent) {
    const value = (view: FieldView) => exampleLiteral(modelEvent.fields.find((field) => field.name === view.catalogName) as FieldModel);
    const init = sample.requiredFields.map((field) => `${field.property}: ${value(field)}`);
    const optional = ownOptional(sample).find((field) => enumNames.has(field.inputType)) ?? ownOptional(sample)[0] ?? sample.optionalFields[0];
    const construct = `new ${sample.className}(${init.length > 0 ? `{ ${init.join(', ')} }` : ''})${optional ? `.${optional.setter}(${value(optional)})` : ''}`;
    example = `client.track(${construct});`;
    if (example.length > 100) {
      const lines = sample.requiredFields.map((field) => `    ${field.property}: ${value(field)},`);
      example = [`client.track(`, `  new ${sample.className}(${lines.length > 0 ? '{' : ''}`, ...lines, `  ${lines.length > 0 ? '})' : ')'}${optional ? `.${optional.setter}(${value(optional)})` : ''},`, ');'].join('\n');
    }
    importNames = `TagplanClient, ${sample.className}`;
  }
  const shown = sample?.optionalFields[0] ?? sample?.fields[0];
  const shownEnum = enums.find((entry) => sample?.fields.some((field) => field.inputType === entry.name)) ?? enums[0];
  const union = shownEnum?.members.slice(0, 2).map((member) => member.literal) ?? [];
  return {
    install,
    example,
    importNames,
    setterMention: shown ? `\`${shown.setter}(…)\`` : '`setX(…)`',
    getterMention: shown ? `\`event.${shown.property}\`` : '`event.x`',
    enumMention:
      shownEnum && shownEnum.members[0]
        ? { union: `\`${union.join(' | ')}${shownEnum.members.length > 2 ? ' | …' : ''}\``, constant: `\`${shownEnum.name}.${shownEnum.members[0].name}\`` }
        : false,
    // events[i] is the view of model.events[i].
    events: events.map((event, index) => ({
      catalogName: event.catalogName,
      version: event.version,
      className: event.className,
      module: event.module,
      required: event.requiredFields.map((field) => `\`${field.property}\``).join(', ') || '—',
      summary: oneLine(model.events[index]?.description ?? '').replace(/\|/g, '\\|'),
    })),
  };
}

/** A value a reader can paste: the field's first catalog example when it has the right type, else a plausible one. */
function exampleLiteral(field: FieldModel): string {
  const type = field.type;
  const [first] = field.examples;
  const fits = (value: unknown, scalar: ScalarType): boolean =>
    scalar.type === 'string' ? typeof value === 'string' : scalar.type === 'boolean' ? typeof value === 'boolean' : typeof value === 'number';
  if (type.type === 'array') {
    if (Array.isArray(first) && first.every((item) => fits(item, type.items))) return literal(first);
    return `[${scalarExample(type.items)}]`;
  }
  if (first !== undefined && fits(first, type)) return literal(first);
  return scalarExample(type);
}

function scalarExample(type: ScalarType): string {
  switch (type.type) {
    case 'string': {
      if (type.enum && type.enum.length > 0) return quote(type.enum[0] as string);
      const byFormat = { 'date-time': '2026-01-31T12:00:00Z', date: '2026-01-31', uri: 'https://example.com/', email: 'jane@example.com', uuid: '0192f4e0-7c1a-7d2e-9f3b-1a2b3c4d5e6f' };
      return quote(type.format ? byFormat[type.format] : 'example');
    }
    case 'integer':
    case 'number': {
      const low = type.minimum ?? (type.exclusiveMinimum !== undefined ? type.exclusiveMinimum + 1 : 1);
      return String(low);
    }
    case 'boolean':
      return 'true';
  }
}
