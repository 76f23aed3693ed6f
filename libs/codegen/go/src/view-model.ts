import {
  jsonKey,
  packageNames,
  translatePattern,
  PATTERN_DIALECTS,
  type EventModel,
  type FieldModel,
  type FieldType,
  type LangpackModel,
  type NameScope,
  type PackageNaming,
  type ScalarType,
} from '@tagplan/codegen-core';
import { DATE_PATTERN, DATE_TIME_PATTERN, EMAIL_PATTERN, URI_PATTERN, UUID_PATTERN } from '@tagplan/json-schema';
import { commentLines, goNumber, GoNamer, goRawString, goString, GO_RUNTIME_EXPORTS, GO_RUNTIME_INTERNALS } from './go.facts';

/** The Go view model: every name cased and escaped, every literal quoted, every comment wrapped. */
export interface GoView {
  generatedBy: string;
  packageName: string;
  modulePath: string;
  goVersion: string;
  environmentName: string;
  packageVersionLiteral: string;
  environmentNameLiteral: string;
  stackContextLiteral: string;
  userAgentLiteral: string;
  exampleEventType: string;
  formats: { date: string; dateTime: string; uuid: string; uri: string; email: string };
  packageDoc: string[];
  readme: ReadmeView;
  events: EventSummary[];
  enums: EnumView[];
  checks: CheckView[];
}

/** What the package-level files need of an event; the full EventView is built when its file is rendered. */
export interface EventSummary {
  fileName: string;
  nameLiteral: string;
  typeName: string;
  constructorName: string;
  specName: string;
}

/** A Go langpack's view: the package-level view, and each event's view on demand (so it can be dropped once rendered). */
export interface GoLangpackView {
  view: GoView;
  event(index: number): EventView;
}

export interface EventView {
  fileName: string;
  nameLiteral: string;
  version: number;
  typeName: string;
  constructorName: string;
  specName: string;
  typeDoc: string[];
  constructorDoc: string[];
  constructorCanFail: boolean;
  params: { name: string; type: string }[];
  structFields: { name: string; padding: string; type: string }[];
  fields: EventFieldView[];
  required: { structField: string; nameLiteral: string }[];
}

export interface EventFieldView {
  nameLiteral: string;
  keyLiteral: string;
  structField: string;
  param: string;
  setter: string;
  getter: string;
  goType: string;
  required: boolean;
  canFail: boolean;
  checkName: string;
  /** The JSON type Validate checks first (kindString, ...), and which check of the field's fieldSpec holds its rules. */
  kindName: string;
  checkSlot: string | null;
  slotCheckName: string;
  isArray: boolean;
  isEnum: boolean;
  isInteger: boolean;
  appendFunc: string;
  setterDoc: string[];
  getterDoc: string[];
}

export interface EnumView {
  typeName: string;
  doc: string[];
  values: { constant: string; padding: string; literal: string }[];
}

/** The checks of one field definition (a field name at one type), shared by every event that carries it. */
export interface CheckView {
  nameLiteral: string;
  checkName: string;
  validateName: string;
  itemName: string;
  patternName: string;
  patternLiteral: string | null;
  hasPattern: boolean;
  canFail: boolean;
  /** The typed value's Go type: string, float64, bool, or the slice type of an array. */
  valueType: string;
  isArray: boolean;
  rules: RuleView[];
  array: ArrayCheckView | null;
}

export interface ArrayCheckView {
  itemType: string;
  itemAsFunc: string;
  itemArticleLiteral: string;
  itemCanFail: boolean;
  itemRules: RuleView[];
  itemIsInteger: boolean;
  itemIsEnum: boolean;
  minItems: string | null;
  minItemsMessage: string;
  maxItems: string | null;
  maxItemsMessage: string;
  unique: boolean;
  uniqueFunc: string;
  usesItemValue: boolean;
}

/** One rule of a scalar check: exactly one of the flags is true. */
export interface RuleView {
  isEnum: boolean;
  isPattern: boolean;
  isFormat: boolean;
  isMinLength: boolean;
  isMaxLength: boolean;
  isFinite: boolean;
  isComparison: boolean;
  enumLiterals: string;
  formatFunc: string;
  limit: string;
  operator: string;
  ruleLiteral: string;
  messageLiteral: string;
}

export interface ReadmeView {
  title: string;
  description: string;
  installCommand: string;
  exampleCode: string[];
  events: { name: string; version: number; typeName: string; constructorSignature: string; description: string }[];
  hasEnums: boolean;
  enumExample: string;
}

const GO_VERSION = '1.21';
const ENUM_MESSAGE_VALUES = 10;
const FORMAT_FUNCS: Record<string, string> = { date: 'isDate', 'date-time': 'isDateTime', uri: 'isURI', email: 'isEmail', uuid: 'isUUID' };
const COMPARISONS = [
  { keyword: 'minimum', operator: '<', words: 'at least' },
  { keyword: 'exclusiveMinimum', operator: '<=', words: 'greater than' },
  { keyword: 'maximum', operator: '>', words: 'at most' },
  { keyword: 'exclusiveMaximum', operator: '>=', words: 'less than' },
] as const;

const namer = new GoNamer();

/** A field definition: one name at one type. Two versions of a field that differ only in their docs share one. */
interface FieldDefinition {
  check: CheckView;
  enumType: string | null;
}

export function buildGoView(model: LangpackModel, naming?: PackageNaming): GoLangpackView {
  const names = packageNames(model.environment.name, naming);
  // An environment named `go` or `main` still needs an importable package name.
  const packageName = namer.escape(names.goPackage, namer.packageNameReserved);
  const packageScope = namer.scope(`package ${packageName}`);
  for (const name of GO_RUNTIME_EXPORTS) packageScope.claim(name, `the langpack runtime's ${name}`);
  for (const name of GO_RUNTIME_INTERNALS) packageScope.claim(name, `the langpack runtime's ${name}`);

  // Event types first, so that their names win the reading order of a collision message.
  const events = model.events.map((event): EventSummary => {
    const typeName = packageScope.claim(namer.exported(event.name, namer.packageReserved), `event ${event.name}`);
    const constructorName = packageScope.claim(`New${typeName}`, `the constructor of event ${event.name}`);
    const specName = packageScope.claim(`spec${namer.pascal(event.name)}`, `the description of event ${event.name}`);
    return { fileName: namer.eventFileName(event.name), nameLiteral: goString(event.name), typeName, constructorName, specName };
  });

  const enums = buildEnums(model, packageScope);
  const definitions = buildDefinitions(model, packageScope, enums.typeOf);

  // Each event's constructor is worked out once, for its file and for the README.
  const constructors = model.events.map((event, index) => constructorParams(event, (events[index] as EventSummary).constructorName, definitions));
  const exampleIndex = pickExampleEvent(model.events);
  const example =
    exampleIndex === undefined
      ? undefined
      : { summary: events[exampleIndex] as EventSummary, model: model.events[exampleIndex] as EventModel, constructor: constructors[exampleIndex] as Constructor };
  const readme = buildReadme(model, names.goModule, packageName, events, constructors, enums.views, example, definitions);
  const stackContext = `,"stack_ctx":${JSON.stringify({ langpack: 'go', langpack_version: model.packageVersion })}}`;
  const formats = (pattern: string) => goRawString(translatePattern(pattern, PATTERN_DIALECTS.go));
  const view: GoView = {
    generatedBy: model.generatedBy,
    packageName,
    modulePath: names.goModule,
    goVersion: GO_VERSION,
    environmentName: model.environment.name,
    packageVersionLiteral: goString(model.packageVersion),
    environmentNameLiteral: goString(model.environment.name),
    stackContextLiteral: goRawString(stackContext),
    userAgentLiteral: goString(`tagplan-go/${model.packageVersion} (${model.environment.name}@${model.environment.version})`),
    exampleEventType: example?.summary.typeName ?? 'Event',
    formats: { date: formats(DATE_PATTERN), dateTime: formats(DATE_TIME_PATTERN), uuid: formats(UUID_PATTERN), uri: formats(URI_PATTERN), email: formats(EMAIL_PATTERN) },
    packageDoc: packageDoc(model, packageName),
    readme,
    events,
    enums: enums.views,
    checks: [...new Set(definitions.values())].map((definition) => definition.check),
  };
  // A field version reads the same in every event that carries it under the same names: its view is built once.
  const fieldViews = new Map<string, EventFieldView>();
  return {
    view,
    event: (index) => buildEvent(model.events[index] as EventModel, events[index] as EventSummary, constructors[index] as Constructor, definitions, fieldViews),
  };
}

// ---------------------------------------------------------------------------------------
// Enums: one Go string type per field name and list of values.

function enumValuesOf(type: FieldType): string[] | undefined {
  if (type.type === 'string') return type.enum;
  if (type.type === 'array' && type.items.type === 'string') return type.items.enum;
  return undefined;
}

function buildEnums(model: LangpackModel, packageScope: NameScope): { views: EnumView[]; typeOf: (field: FieldModel) => string | null } {
  // Field name → distinct value lists (keyed by their JSON), each with the first field model that has it.
  const byField = new Map<string, Map<string, FieldModel>>();
  for (const field of allFields(model)) {
    const values = enumValuesOf(field.type);
    if (!values) continue;
    const lists = byField.get(field.name) ?? new Map<string, FieldModel>();
    const key = jsonKey(values);
    const seen = lists.get(key);
    if (!seen || field.version < seen.version) lists.set(key, field);
    byField.set(field.name, lists);
  }
  const typeNames = new Map<string, string>();
  const views: EnumView[] = [];
  for (const [fieldName, lists] of [...byField].sort(([a], [b]) => compare(a, b))) {
    const versioned = lists.size > 1;
    for (const [key, field] of [...lists].sort(([, a], [, b]) => a.version - b.version)) {
      const base = namer.pascal(fieldName) + (versioned ? `V${field.version}` : '');
      const typeName = packageScope.claim(namer.escape(base, namer.packageReserved), `the enum of field ${fieldName}@${field.version}`);
      typeNames.set(`${fieldName}\u0000${key}`, typeName);
      const values = enumValuesOf(field.type) as string[];
      const constants = values.map((value, index) => {
        const suffix = namer.valueSuffix(value) || `Value${index + 1}`;
        return packageScope.claim(`${typeName}${suffix}`, `enum value ${JSON.stringify(value)} of field ${fieldName}@${field.version}`);
      });
      const width = Math.max(...constants.map(codePoints));
      views.push({
        typeName,
        doc: commentLines(`${typeName} is a value of ${fieldName}${field.description ? `: ${field.description}` : '.'}`),
        values: constants.map((constant, index) => ({
          constant,
          padding: ' '.repeat(width - codePoints(constant) + 1),
          literal: goString(values[index] as string),
        })),
      });
    }
  }
  return {
    views,
    typeOf: (field) => {
      const values = enumValuesOf(field.type);
      return values ? (typeNames.get(`${field.name}\u0000${jsonKey(values)}`) ?? null) : null;
    },
  };
}

// ---------------------------------------------------------------------------------------
// Field definitions and their checks, shared by the events that carry them.

const definitionKeys = new WeakMap<FieldModel, string>();

/** A field's name and type, as the key of its definition (computed once per field model). */
function definitionKey(field: FieldModel): string {
  let key = definitionKeys.get(field);
  if (key === undefined) {
    key = `${field.name}\u0000${jsonKey(field.type)}`;
    definitionKeys.set(field, key);
  }
  return key;
}

function buildDefinitions(model: LangpackModel, packageScope: NameScope, enumTypeOf: (field: FieldModel) => string | null): Map<string, FieldDefinition> {
  const byName = new Map<string, Map<string, FieldModel>>();
  for (const field of allFields(model)) {
    const types = byName.get(field.name) ?? new Map<string, FieldModel>();
    const key = definitionKey(field);
    const seen = types.get(key);
    if (!seen || field.version < seen.version) types.set(key, field);
    byName.set(field.name, types);
  }
  const definitions = new Map<string, FieldDefinition>();
  for (const [name, types] of [...byName].sort(([a], [b]) => compare(a, b))) {
    const versioned = types.size > 1;
    for (const [key, field] of [...types].sort(([, a], [, b]) => a.version - b.version)) {
      const base = namer.pascal(name) + (versioned ? `V${field.version}` : '');
      const source = `field ${name}@${field.version}`;
      const enumType = enumTypeOf(field);
      const check = buildCheck(field, base, enumType);
      packageScope.claim(check.checkName, source);
      if (check.array) {
        packageScope.claim(check.validateName, source);
        packageScope.claim(check.itemName, source);
      }
      if (check.hasPattern) packageScope.claim(check.patternName, source);
      definitions.set(key, { check, enumType });
    }
  }
  return definitions;
}

function buildCheck(field: FieldModel, base: string, enumType: string | null): CheckView {
  const type = field.type;
  const nameLiteral = goString(field.name);
  const names = { checkName: `check${base}`, validateName: `validate${base}`, itemName: `item${base}`, patternName: `pattern${base}` };
  const scalar = type.type === 'array' ? type.items : type;
  const pattern = scalar.type === 'string' && scalar.pattern !== undefined ? scalar.pattern : null;
  const patternLiteral = pattern === null ? null : goRawString(translatePattern(pattern, PATTERN_DIALECTS.go));
  const scalarRules = rulesOf(scalar, names.patternName);
  if (type.type !== 'array') {
    return {
      nameLiteral,
      ...names,
      patternLiteral,
      hasPattern: pattern !== null,
      canFail: scalarRules.length > 0,
      valueType: checkedType(type),
      isArray: false,
      rules: scalarRules,
      array: null,
    };
  }
  const itemCanFail = scalarRules.length > 0;
  const unique = type.uniqueItems === true;
  const array: ArrayCheckView = {
    itemType: checkedType(type.items),
    itemAsFunc: asFunc(type.items),
    itemArticleLiteral: goString(article(type.items.type)),
    itemCanFail,
    itemRules: scalarRules,
    itemIsInteger: type.items.type === 'integer',
    itemIsEnum: enumType !== null,
    minItems: type.minItems === undefined ? null : String(type.minItems),
    minItemsMessage: goString(`must have at least ${count(type.minItems ?? 0, 'item')}`),
    maxItems: type.maxItems === undefined ? null : String(type.maxItems),
    maxItemsMessage: goString(`must have at most ${count(type.maxItems ?? 0, 'item')}`),
    unique,
    uniqueFunc: type.items.type === 'integer' ? 'duplicateInts' : 'duplicates',
    usesItemValue: itemCanFail || unique,
  };
  return {
    nameLiteral,
    ...names,
    patternLiteral,
    hasPattern: pattern !== null,
    canFail: itemCanFail || unique || type.minItems !== undefined || type.maxItems !== undefined,
    valueType: `[]${goScalarType(type.items, enumType)}`,
    isArray: true,
    rules: [],
    array,
  };
}

function rulesOf(type: ScalarType, patternName: string): RuleView[] {
  const rules: RuleView[] = [];
  const rule = (ruleName: string, message: string, flags: Partial<RuleView>): RuleView => ({
    isEnum: false,
    isPattern: false,
    isFormat: false,
    isMinLength: false,
    isMaxLength: false,
    isFinite: false,
    isComparison: false,
    enumLiterals: '',
    formatFunc: '',
    limit: '',
    operator: '',
    ruleLiteral: goString(ruleName),
    messageLiteral: goString(message),
    ...flags,
  });
  if (type.type === 'string') {
    if (type.enum) {
      const shown = type.enum.slice(0, ENUM_MESSAGE_VALUES).map((value) => JSON.stringify(value));
      const more = type.enum.length > ENUM_MESSAGE_VALUES ? ` … (${type.enum.length} values)` : '';
      rules.push(rule('enum', `must be one of ${shown.join(', ')}${more}`, { isEnum: true, enumLiterals: type.enum.map(goString).join(', ') }));
    }
    if (type.pattern !== undefined) rules.push(rule('pattern', `must match the pattern ${type.pattern}`, { isPattern: true, formatFunc: patternName }));
    if (type.format !== undefined) {
      rules.push(rule('format', `must be a valid ${type.format}`, { isFormat: true, formatFunc: FORMAT_FUNCS[type.format] as string }));
    }
    if (type.minLength !== undefined) {
      rules.push(rule('minLength', `must have at least ${count(type.minLength, 'character')}`, { isMinLength: true, limit: String(type.minLength) }));
    }
    if (type.maxLength !== undefined) {
      rules.push(rule('maxLength', `must have at most ${count(type.maxLength, 'character')}`, { isMaxLength: true, limit: String(type.maxLength) }));
    }
  } else if (type.type === 'integer' || type.type === 'number') {
    if (type.type === 'number') rules.push(rule('type', 'must be a finite number', { isFinite: true }));
    for (const comparison of COMPARISONS) {
      const limit = type[comparison.keyword];
      if (limit === undefined) continue;
      rules.push(rule(comparison.keyword, `must be ${comparison.words} ${goNumber(limit)}`, { isComparison: true, operator: comparison.operator, limit: goNumber(limit) }));
    }
  }
  return rules;
}

/** What the typed check of a scalar receives: integers as the doubles the collector compares. */
function checkedType(type: ScalarType): string {
  return type.type === 'string' ? 'string' : type.type === 'boolean' ? 'bool' : 'float64';
}

function asFunc(type: ScalarType): string {
  return { string: 'asString', integer: 'asInteger', number: 'asNumber', boolean: 'asBool' }[type.type];
}

function goScalarType(type: ScalarType, enumType: string | null): string {
  if (enumType) return enumType;
  return { string: 'string', integer: 'int64', number: 'float64', boolean: 'bool' }[type.type];
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

// ---------------------------------------------------------------------------------------
// Events.

function buildEvent(
  event: EventModel,
  summary: EventSummary,
  constructor: Constructor,
  definitions: Map<string, FieldDefinition>,
  fieldViews: Map<string, EventFieldView>,
): EventView {
  const { typeName, specName } = summary;
  const methods = namer.scope(`the methods of ${typeName}`);
  for (const reserved of namer.methodReserved) methods.claim(reserved, `the method ${reserved} every event has`);
  const structScope = namer.scope(`the fields of struct ${typeName}`);

  const fields = event.fields.map((field): EventFieldView => {
    const definition = definitions.get(definitionKey(field)) as FieldDefinition;
    const source = `field ${field.name}`;
    const pascal = namer.pascal(field.name);
    const getter = methods.claim(namer.escape(pascal, namer.methodReserved), source);
    const setter = methods.claim(`Set${pascal}`, `the setter of field ${field.name}`);
    const structField = structScope.claim(namer.unexported(field.name, namer.structFieldReserved), source);
    const param = constructor.names.get(field.name) ?? '';
    const key = `${field.name}@${field.version}|${field.required}|${getter}|${setter}|${structField}|${param}`;
    const built = fieldViews.get(key);
    if (built) return built;
    const type = field.type;
    const goType = goTypeOf(field, definition);
    const canFail = definition.check.canFail;
    const view: EventFieldView = {
      nameLiteral: goString(field.name),
      keyLiteral: goRawString(`,${JSON.stringify(field.name)}:`),
      structField,
      param,
      setter,
      getter,
      goType,
      required: field.required,
      canFail,
      checkName: definition.check.checkName,
      kindName: { string: 'kindString', integer: 'kindInteger', number: 'kindNumber', boolean: 'kindBoolean', array: 'kindArray' }[type.type],
      checkSlot: type.type === 'array' ? 'array' : !canFail ? null : type.type === 'string' ? 'text' : 'number',
      slotCheckName: type.type === 'array' ? definition.check.validateName : definition.check.checkName,
      isArray: type.type === 'array',
      isEnum: type.type === 'string' && definition.enumType !== null,
      isInteger: type.type === 'integer',
      appendFunc: appendFuncOf(type),
      setterDoc: commentLines(setterDoc(setter, field, definition)),
      getterDoc: commentLines(
        field.required
          ? `${getter} returns ${field.name}.`
          : `${getter} returns ${field.name} and whether it is set.${type.type === 'array' ? ' The slice is a copy.' : ''}`,
      ),
    };
    fieldViews.set(key, view);
    return view;
  });
  const width = Math.max(0, ...fields.map((field) => codePoints(field.structField)));
  const requiredFields = fields.filter((field) => field.required);
  const constructorCanFail = constructor.canFail;
  return {
    ...summary,
    version: event.version,
    typeDoc: [
      ...commentLines(`${typeName} is the ${event.name} event, version ${event.version}${event.description ? `: ${event.description}` : '.'}`),
      '',
      ...commentLines(
        `${event.owner ? `Owner: ${event.owner}. ` : ''}Make one with ${summary.constructorName}, which takes the required fields, set the optional ones with its setters, and send it with Client.Track. A value that breaks a rule of the catalog is refused with a *ValidationError, and the event is left as it was.`,
      ),
    ],
    constructorDoc: commentLines(
      requiredFields.length === 0
        ? `New${typeName} returns ${article(event.name)} event, which has no required field.`
        : `New${typeName} returns ${article(event.name)} event with its required fields set: ${requiredFields.map((field) => JSON.parse(field.nameLiteral) as string).join(', ')}.${constructorCanFail ? ' A value that breaks a rule gives a *ValidationError.' : ''}`,
    ),
    constructorCanFail,
    params: constructor.params,
    structFields: fields.map((field) => ({
      name: field.structField,
      padding: ' '.repeat(width - codePoints(field.structField) + 1),
      type: `optional[${field.goType}]`,
    })),
    fields,
    required: requiredFields.map((field) => ({ structField: field.structField, nameLiteral: field.nameLiteral })),
  };
}

/** The constructor's parameters (the required fields, in order) and whether one of them can be refused. */
interface Constructor {
  names: Map<string, string>;
  params: { name: string; type: string }[];
  canFail: boolean;
}

function constructorParams(event: EventModel, constructorName: string, definitions: Map<string, FieldDefinition>): Constructor {
  const scope = namer.scope(`the parameters of ${constructorName}`);
  const names = new Map<string, string>();
  const params: { name: string; type: string }[] = [];
  let canFail = false;
  for (const field of event.fields) {
    if (!field.required) continue;
    const definition = definitions.get(definitionKey(field)) as FieldDefinition;
    const name = scope.claim(namer.unexported(field.name, namer.parameterReserved), `field ${field.name}`);
    names.set(field.name, name);
    params.push({ name, type: goTypeOf(field, definition) });
    canFail ||= definition.check.canFail;
  }
  return { names, params: groupParams(params), canFail };
}

function goTypeOf(field: FieldModel, definition: FieldDefinition): string {
  const type = field.type;
  return type.type === 'array' ? `[]${goScalarType(type.items, definition.enumType)}` : goScalarType(type, definition.enumType);
}

/** Consecutive parameters of one type share it, as gofmt'd Go usually reads: `(buttonID, screenName string)`. */
function groupParams(params: { name: string; type: string }[]): { name: string; type: string }[] {
  const groups: { name: string; type: string }[] = [];
  for (const param of params) {
    const last = groups[groups.length - 1];
    if (last && last.type === param.type) last.name = `${last.name}, ${param.name}`;
    else groups.push({ ...param });
  }
  return groups;
}

function appendFuncOf(type: FieldType): string {
  if (type.type === 'array') return { string: 'appendStrings', integer: 'appendInts', number: 'appendFloats', boolean: 'appendBools' }[type.items.type];
  return { string: 'appendJSONString', integer: 'appendInt', number: 'appendFloat', boolean: 'appendBool' }[type.type];
}

function setterDoc(setter: string, field: FieldModel, definition: FieldDefinition): string {
  const parts = [`${setter} sets ${field.name}${field.description ? `: ${field.description}` : '.'}`];
  const rules = ruleSummary(field.type, definition.enumType);
  if (rules) parts.push(`Rules: ${rules}.`);
  if (field.pii === 'hash') parts.push('The collector stores it hashed.');
  if (field.pii === 'drop') parts.push('The collector removes it before anything is stored.');
  return parts.join(' ');
}

/** The field's constraints as JSON Schema keywords, for the setter's doc comment. */
function ruleSummary(type: FieldType, enumType: string | null): string {
  const scalar = (scalarType: ScalarType): string[] => {
    const out: string[] = [];
    if (scalarType.type === 'string') {
      if (scalarType.enum) out.push(`one of the ${enumType ?? 'enum'} values`);
      if (scalarType.pattern !== undefined) out.push(`pattern ${scalarType.pattern}`);
      if (scalarType.format !== undefined) out.push(`format ${scalarType.format}`);
      if (scalarType.minLength !== undefined) out.push(`minLength ${scalarType.minLength}`);
      if (scalarType.maxLength !== undefined) out.push(`maxLength ${scalarType.maxLength}`);
    } else if (scalarType.type === 'integer' || scalarType.type === 'number') {
      for (const comparison of COMPARISONS) {
        const limit = scalarType[comparison.keyword];
        if (limit !== undefined) out.push(`${comparison.keyword} ${goNumber(limit)}`);
      }
      if (scalarType.type === 'number') out.push('finite');
    }
    return out;
  };
  if (type.type !== 'array') return scalar(type).join(', ');
  const out: string[] = [];
  if (type.minItems !== undefined) out.push(`minItems ${type.minItems}`);
  if (type.maxItems !== undefined) out.push(`maxItems ${type.maxItems}`);
  if (type.uniqueItems) out.push('uniqueItems');
  const items = scalar(type.items);
  if (items.length > 0) out.push(`each item ${items.join(', ')}`);
  return out.join(', ');
}

// ---------------------------------------------------------------------------------------
// Docs: the package comment and the README, with a usage example from the environment's own events.

function packageDoc(model: LangpackModel, packageName: string): string[] {
  const { name, version, description } = model.environment;
  return [
    ...commentLines(
      `Package ${packageName} sends the analytics events of the ${name} environment (version ${version}) of the Tagplan catalog${description ? `: ${description}` : '.'}`,
    ),
    '',
    ...commentLines(
      'Each event is a type with a constructor taking its required fields and a setter per optional field; a value that breaks a rule of the catalog is refused with a *ValidationError. A Client batches events in the background and sends them to the collector; Validate checks event data decoded from JSON against the same rules.',
    ),
  ];
}

interface ExampleEvent {
  summary: EventSummary;
  model: EventModel;
  constructor: Constructor;
}

/** The event the examples use: the first with an optional enum field to show, else the first. */
function pickExampleEvent(models: EventModel[]): number | undefined {
  if (models.length === 0) return undefined;
  return Math.max(0, models.findIndex((event) => event.fields.some((field) => !field.required && enumValuesOf(field.type) !== undefined && field.type.type === 'string')));
}

function buildReadme(
  model: LangpackModel,
  modulePath: string,
  packageName: string,
  events: EventSummary[],
  constructors: Constructor[],
  enums: EnumView[],
  example: ExampleEvent | undefined,
  definitions: Map<string, FieldDefinition>,
): ReadmeView {
  const code: string[] = [
    'package main',
    '',
    'import (',
    '\t"context"',
    '\t"log"',
    '\t"os"',
    '',
    `\t"${modulePath}"`,
    ')',
    '',
    'func main() {',
    `\tclient, err := ${packageName}.NewClient(${packageName}.Config{`,
    '\t\tEndpoint: "https://collector.example.com",',
    '\t\tWriteKey: os.Getenv("TAGPLAN_WRITE_KEY"),',
    '\t})',
    '\tif err != nil {',
    '\t\tlog.Fatal(err)',
    '\t}',
    '\t// Close sends what is still queued.',
    '\tdefer client.Close(context.Background())',
  ];
  if (example) {
    const { summary, model: event } = example;
    const args = event.fields.filter((field) => field.required).map((field) => exampleLiteral(field, packageName, definitions));
    const call = `${packageName}.${summary.constructorName}(${args.join(', ')})`;
    code.push('');
    if (example.constructor.canFail) {
      code.push(`\tev, err := ${call}`, '\tif err != nil {', '\t\tlog.Fatal(err) // a *ValidationError names the event, the field and the rule', '\t}');
    } else {
      code.push(`\tev := ${call}`);
    }
    const optional = event.fields.find((field) => !field.required && field.type.type === 'string' && field.type.enum !== undefined);
    if (optional) {
      code.push(`\tif err := ev.Set${namer.pascal(optional.name)}(${exampleLiteral(optional, packageName, definitions)}); err != nil {`, '\t\tlog.Fatal(err)', '\t}');
    }
    code.push('\tif err := client.Track(ev); err != nil {', '\t\tlog.Print(err) // the queue is full: the event is dropped and counted', '\t}');
  }
  code.push('}');
  return {
    title: modulePath,
    description: model.environment.description,
    installCommand: `go get ${modulePath}@v${model.packageVersion}`,
    exampleCode: code,
    events: model.events.map((event, index) => {
      const summary = events[index] as EventSummary;
      const params = (constructors[index] as Constructor).params;
      return {
        name: event.name.replace(/_/g, '\\_'),
        version: event.version,
        typeName: summary.typeName,
        constructorSignature: `${summary.constructorName}(${params.map((param) => `${param.name} ${param.type}`).join(', ')})`,
        description: event.description.replace(/\s+/g, ' ').replace(/\|/g, '\\|'),
      };
    }),
    hasEnums: enums.length > 0,
    enumExample: enums[0]?.values[0] ? `${packageName}.${enums[0].values[0].constant}` : '',
  };
}

/** A Go literal for a field in the examples: its first example when it has the right type, else a plausible value. */
function exampleLiteral(field: FieldModel, packageName: string, definitions: Map<string, FieldDefinition>): string {
  const definition = definitions.get(definitionKey(field));
  const type = field.type;
  const example = field.examples[0];
  const scalarLiteral = (scalar: ScalarType, value: unknown, enumType: string | null): string => {
    if (scalar.type === 'string') {
      if (scalar.enum && enumType) {
        const chosen = typeof value === 'string' && scalar.enum.includes(value) ? value : (scalar.enum[0] as string);
        return `${packageName}.${enumType}${namer.valueSuffix(chosen) || `Value${scalar.enum.indexOf(chosen) + 1}`}`;
      }
      if (typeof value === 'string') return goString(value);
      const samples: Record<string, string> = {
        uuid: '01936d6c-2a4e-7cc1-9d4c-6a1f1c1b2a3d',
        'date-time': '2026-11-23T10:00:00Z',
        date: '2026-11-23',
        uri: 'https://example.com/',
        email: 'jane.doe@example.com',
      };
      return goString(scalar.format ? (samples[scalar.format] as string) : 'example');
    }
    if (scalar.type === 'boolean') return typeof value === 'boolean' ? String(value) : 'true';
    if (typeof value === 'number' && Number.isFinite(value) && (scalar.type === 'number' || Number.isInteger(value))) return goNumber(value);
    const low = scalar.minimum ?? (scalar.exclusiveMinimum !== undefined ? scalar.exclusiveMinimum + 1 : 1);
    return goNumber(scalar.type === 'integer' ? Math.ceil(low) : low);
  };
  const enumType = definition?.enumType ?? null;
  if (type.type !== 'array') return scalarLiteral(type, example, enumType);
  const items = Array.isArray(example) ? example : [undefined];
  return `[]${goScalarType(type.items, enumType ? `${packageName}.${enumType}` : null)}{${items.map((item) => scalarLiteral(type.items, item, enumType)).join(', ')}}`;
}

// ---------------------------------------------------------------------------------------

function* allFields(model: LangpackModel): Generator<FieldModel> {
  for (const event of model.events) yield* event.fields;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** gofmt aligns by code points (its tabwriter counts runes). */
function codePoints(text: string): number {
  return /[\ud800-\udfff]/.test(text) ? [...text].length : text.length;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
