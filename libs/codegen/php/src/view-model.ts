import {
  casing,
  packageNames,
  translatePattern,
  PATTERN_DIALECTS,
  type ArrayType,
  type EventModel,
  type FieldModel,
  type LangpackModel,
  type PackageNaming,
  type ScalarType,
  type StringType,
} from '@tagplan/codegen-core';
import { DATE_PATTERN, DATE_TIME_PATTERN, EMAIL_PATTERN, FORMAT_CHECKS, URI_PATTERN, UUID_PATTERN } from '@tagplan/json-schema';
import {
  caseInsensitiveScope,
  caseSensitiveScope,
  classNamer,
  constantNamer,
  docLines,
  enumValueWords,
  phpNumber,
  phpRegex,
  phpString,
  summary,
  variableNamer,
} from './php.facts';

/**
 * The view model the PHP templates render: every name cased and escaped, every literal
 * quoted, every check already an expression. Templates only loop and branch over it.
 */
export interface PhpView {
  generatedBy: string;
  namespace: string;
  /** The namespace with a trailing backslash, JSON-quoted, for composer.json's PSR-4 map. */
  psr4PrefixJson: string;
  composerName: string;
  composerNameJson: string;
  descriptionJson: string;
  generatedByJson: string;
  environmentNameJson: string;
  environmentVersion: number;
  packageVersion: string;
  packageVersionLiteral: string;
  environmentName: string;
  environmentDocLines: string[];
  formats: { date: string; dateTime: string; uri: string; email: string; uuid: string };
  events: EventView[];
  enums: EnumView[];
  /** The Validator's rule table: each field version once, by `name@version`. */
  fieldRules: { keyLiteral: string; rules: string }[];
  readme: ReadmeView;
}

export interface EventView {
  className: string;
  path: string;
  nameLiteral: string;
  catalogName: string;
  version: number;
  docLines: string[];
  imports: string[];
  eventRef: string;
  exceptionRef: string;
  hasConstructor: boolean;
  constructorDoc: { line: string }[];
  /** The fields in the constructor's order: required ones first. */
  constructorParams: FieldView[];
  fields: FieldView[];
  hasOptionalFields: boolean;
  /** One line per field of the Validator's event table: required, and its rules' key. */
  rules: { keyLiteral: string; required: boolean; rulesKeyLiteral: string }[];
}


export interface FieldView {
  keyLiteral: string;
  /** The key of the field version's rules in the Validator's table. */
  rulesKeyLiteral: string;
  property: string;
  variable: string;
  setter: string;
  getter: string;
  required: boolean;
  /** Type of the property and the getter's return type (`int`, `?Source`). */
  type: string;
  /** A `@var`/`@return` type when PHP's own cannot say it (`list<string>`), else ''. */
  docType: string;
  hasDocType: boolean;
  docLines: string[];
  constraintLines: string[];
  /** The constructor's `@param` line, wrapped. */
  paramDocLines: { line: string }[];
  /** The constructor's parameter: `int $itemId`, `?string $source = null`. */
  parameterDeclaration: string;
  propertyDeclaration: string;
  exceptionRef: string;
  hasChecks: boolean;
  /** Assertion statements (without the `;`): before the loop over items, in it, after it. */
  checks: string[];
  hasItemChecks: boolean;
  loopVariable: string;
  itemChecks: string[];
  afterChecks: string[];
  /** The wire value, from `$this->property`. */
  serialized: string;
}

export interface EnumView {
  className: string;
  path: string;
  docLines: string[];
  cases: { name: string; valueLiteral: string }[];
}

export interface ReadmeView {
  installCommand: string;
  example: string;
  firstEventLiteral: string;
  events: { classPath: string; catalogName: string; version: number; summary: string }[];
}

interface EnumRef {
  className: string;
  fqn: string;
  /** Values that break another constraint of their field and so must be refused at runtime. */
  invalid: { caseName: string; rule: string; message: string }[];
}

const PCRE = PATTERN_DIALECTS.pcre;

export function buildView(model: LangpackModel, naming?: PackageNaming): PhpView {
  const names = packageNames(model.environment.name, naming);
  const namespace = names.phpNamespace;
  const enums = buildEnums(model, namespace);
  const eventScope = caseInsensitiveScope(`the classes of ${namespace}\\Events`);
  const fieldCache = new Map<string, FieldView>();
  const events = model.events.map((event) => buildEvent(event, namespace, enums, eventScope, fieldCache));
  return {
    generatedBy: model.generatedBy,
    namespace,
    psr4PrefixJson: JSON.stringify(`${namespace}\\`),
    composerName: names.composer,
    composerNameJson: JSON.stringify(names.composer),
    descriptionJson: JSON.stringify(
      `Tagplan langpack for ${model.environment.name}@${model.environment.version}: typed analytics events and their client` +
        (model.environment.description ? `. ${summary(model.environment.description)}` : ''),
    ),
    generatedByJson: JSON.stringify(model.generatedBy),
    environmentNameJson: JSON.stringify(model.environment.name),
    environmentVersion: model.environment.version,
    packageVersion: model.packageVersion,
    packageVersionLiteral: phpString(model.packageVersion),
    environmentName: model.environment.name,
    environmentDocLines: docLines(model.environment.description),
    formats: {
      date: phpRegex(translatePattern(DATE_PATTERN, PCRE), ''),
      dateTime: phpRegex(translatePattern(DATE_TIME_PATTERN, PCRE), ''),
      uri: phpRegex(translatePattern(URI_PATTERN, PCRE), ''),
      email: phpRegex(translatePattern(EMAIL_PATTERN, PCRE), ''),
      uuid: phpRegex(translatePattern(UUID_PATTERN, PCRE), ''),
    },
    events,
    enums: [...enums.views],
    fieldRules: buildFieldRules(model),
    readme: buildReadme(model, namespace, names.composer, events),
  };
}

// ---------------------------------------------------------------------------------------
// Enums: one backed enum per enum-typed field version (arrays of enums included).

function enumKey(field: FieldModel): string {
  return `${field.name}@${field.version}`;
}

function enumOf(type: FieldModel['type']): StringType | null {
  const scalar = type.type === 'array' ? type.items : type;
  return scalar.type === 'string' && scalar.enum !== undefined ? scalar : null;
}

function buildEnums(model: LangpackModel, namespace: string): { byField: Map<string, EnumRef>; views: EnumView[] } {
  const fields = new Map<string, FieldModel>();
  const versionsByName = new Map<string, Set<number>>();
  for (const event of model.events) {
    for (const field of event.fields) {
      if (!enumOf(field.type)) continue;
      fields.set(enumKey(field), field);
      versionsByName.set(field.name, (versionsByName.get(field.name) ?? new Set()).add(field.version));
    }
  }
  const scope = caseInsensitiveScope(`the enums of ${namespace}\\Enums`);
  const byField = new Map<string, EnumRef>();
  const views: EnumView[] = [];
  for (const key of [...fields.keys()].sort()) {
    const field = fields.get(key) as FieldModel;
    const type = enumOf(field.type) as StringType;
    // Two versions of one field in one environment get one enum each, told apart by version.
    const several = (versionsByName.get(field.name) as Set<number>).size > 1;
    const className = scope.claim(
      classNamer.identifier(several ? `${field.name}_v${field.version}` : field.name, 'pascal'),
      several ? `field ${field.name}@${field.version}` : `field ${field.name}`,
    );
    const caseScope = caseSensitiveScope(`the cases of enum ${className}`);
    const cases = (type.enum as string[]).map((value) => ({
      name: caseScope.claim(constantNamer.identifier(enumValueWords(value), 'pascal'), `enum value ${JSON.stringify(value)} of field ${field.name}`),
      valueLiteral: phpString(value),
      value,
    }));
    const invalid = cases.flatMap((entry) => {
      const broken = stringConstraintViolations(type, entry.value);
      return broken.map((violation) => ({ caseName: entry.name, ...violation }));
    });
    byField.set(key, { className, fqn: `${namespace}\\Enums\\${className}`, invalid });
    views.push({
      className,
      path: `src/Enums/${className}.php`,
      docLines: [...docLines(field.description), ...(field.description ? [''] : []), `Values of field ${field.name}@${field.version}.`],
      cases: cases.map(({ name, valueLiteral }) => ({ name, valueLiteral })),
    });
  }
  return { byField, views };
}

/** The string rules an enum value breaks (the catalog checks length and pattern, not format). */
function stringConstraintViolations(type: StringType, value: string): { rule: string; message: string }[] {
  const out: { rule: string; message: string }[] = [];
  const length = [...value].length;
  if (type.minLength !== undefined && length < type.minLength) out.push({ rule: 'minLength', message: minLengthMessage(type.minLength) });
  if (type.maxLength !== undefined && length > type.maxLength) out.push({ rule: 'maxLength', message: maxLengthMessage(type.maxLength) });
  if (type.pattern !== undefined && !new RegExp(type.pattern, 'u').test(value)) out.push({ rule: 'pattern', message: `must match the pattern ${type.pattern}` });
  if (type.format !== undefined && !FORMAT_CHECKS[type.format](value)) out.push({ rule: 'format', message: `must be a valid ${type.format}` });
  return out;
}

// ---------------------------------------------------------------------------------------
// Events.

function buildEvent(
  event: EventModel,
  namespace: string,
  enums: { byField: Map<string, EnumRef> },
  eventScope: ReturnType<typeof caseInsensitiveScope>,
  fieldCache: Map<string, FieldView>,
): EventView {
  const className = eventScope.claim(classNamer.identifier(event.name, 'pascal'), `event ${event.name}`);
  // Short names in this file: the class itself, then what it imports (aliased on a clash).
  const taken = new Set([className.toLowerCase()]);
  const imports: string[] = [];
  const importAs = (fqn: string, preferred: string, fallback: string): string => {
    const alias = taken.has(preferred.toLowerCase()) ? fallback : preferred;
    taken.add(alias.toLowerCase());
    imports.push(alias === preferred ? fqn : `${fqn} as ${alias}`);
    return alias;
  };
  const eventRef = importAs(`${namespace}\\Event`, 'Event', 'TagplanEvent');
  const assertRef = importAs(`${namespace}\\Internal\\Assert`, 'Assert', 'TagplanAssert');
  const exceptionRef = importAs(`${namespace}\\ValidationException`, 'ValidationException', 'TagplanValidationException');
  const enumRefs = new Map<string, string>();
  for (const field of event.fields) {
    const ref = enums.byField.get(enumKey(field));
    if (ref && !enumRefs.has(ref.fqn)) enumRefs.set(ref.fqn, importAs(ref.fqn, ref.className, `${ref.className}Enum`));
  }
  imports.sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));

  const memberScope = caseInsensitiveScope(`the members of event class ${className}`);
  const fields = event.fields.map((field) => {
    const camel = memberScope.claim(variableNamer.identifier(field.name, 'camel'), `field ${field.name}`);
    const enumRef = enums.byField.get(enumKey(field));
    const enumName = enumRef ? (enumRefs.get(enumRef.fqn) as string) : null;
    // A field version reads the same in every event that carries it: build its view once.
    const key = `${field.name}@${field.version}|${field.required}|${enumName}|${assertRef}|${exceptionRef}`;
    let view = fieldCache.get(key);
    if (!view) {
      view = buildField(field, camel, { assertRef, exceptionRef, enumName, invalidEnumCases: enumRef?.invalid ?? [] });
      fieldCache.set(key, view);
    }
    return view;
  });
  const params = [...fields.filter((field) => field.required), ...fields.filter((field) => !field.required)];
  return {
    className,
    path: `src/Events/${className}.php`,
    nameLiteral: phpString(event.name),
    catalogName: event.name,
    version: event.version,
    docLines: [...docLines(event.description), ...(event.description ? [''] : []), `Event ${event.name}@${event.version}, owned by ${event.owner}.`],
    imports,
    eventRef,
    exceptionRef,
    hasConstructor: fields.length > 0,
    constructorDoc: params.flatMap((field) => field.paramDocLines),
    constructorParams: params,
    fields,
    hasOptionalFields: fields.some((field) => !field.required),
    // A field's view carries its line of the table.
    rules: fields,
  };
}

interface FieldContext {
  assertRef: string;
  exceptionRef: string;
  enumName: string | null;
  invalidEnumCases: EnumRef['invalid'];
}

function buildField(field: FieldModel, camel: string, context: FieldContext): FieldView {
  const pascal = casing.pascal(field.name);
  const variable = `$${camel}`;
  const loopVariable = camel === 'item' ? '$element' : '$item';
  const base = baseType(field.type, context.enumName);
  const type = field.required ? base : `?${base}`;
  const itemDocType = field.type.type === 'array' ? itemPhpType(field.type.items, context.enumName) : '';
  const docType = field.type.type === 'array' ? `list<${itemDocType}>${field.required ? '' : '|null'}` : '';

  const description = docLines(field.description);
  const assert = assertion(context.assertRef, phpString(field.name));
  let checks: string[] = [];
  let itemChecks: string[] = [];
  let afterChecks: string[] = [];
  // Enum values that break another rule of their field can never be sent (rare; the catalog refuses most).
  const enumChecks = (subject: string, items: boolean): string[] =>
    context.invalidEnumCases.map((entry) => assert('refuse', subject, [`${context.enumName as string}::${entry.caseName}`, phpString(entry.rule), phpString(entry.message)], items));
  if (field.type.type === 'array') {
    const items = field.type.items;
    checks = [
      assert('isList', variable, []),
      ...(field.type.minItems !== undefined ? [assert('minItems', variable, [String(field.type.minItems)])] : []),
      ...(field.type.maxItems !== undefined ? [assert('maxItems', variable, [String(field.type.maxItems)])] : []),
    ];
    itemChecks = [
      assert('itemType', loopVariable, [context.enumName ? `${context.enumName}::class` : phpString(items.type)]),
      ...(context.enumName ? enumChecks(loopVariable, true) : scalarChecks(items, loopVariable, assert, true)),
    ];
    afterChecks = field.type.uniqueItems ? [assert('uniqueItems', variable, [])] : [];
  } else if (context.enumName) {
    checks = enumChecks(variable, false);
  } else {
    checks = scalarChecks(field.type, variable, assert, false);
  }

  const property = `$this->${camel}`;
  let serialized = property;
  if (context.enumName && field.type.type === 'array') serialized = `array_map(static fn (${context.enumName} $value): string => $value->value, ${property})`;
  else if (context.enumName) serialized = `${property}->value`;

  return {
    keyLiteral: phpString(field.name),
    rulesKeyLiteral: phpString(`${field.name}@${field.version}`),
    property: camel,
    variable,
    setter: `set${pascal}`,
    getter: `get${pascal}`,
    required: field.required,
    type,
    docType,
    hasDocType: docType !== '',
    docLines: description,
    constraintLines: docLines(describeConstraints(field)),
    paramDocLines: hangingLines(`@param ${docType || type} ${variable}${description.length > 0 ? ` ${summary(field.description)}` : ''}`).map((line) => ({ line })),
    parameterDeclaration: `${type} ${variable}${field.required ? '' : ' = null'}`,
    propertyDeclaration: `private ${type} $${camel}${field.required ? '' : ' = null'};`,
    exceptionRef: context.exceptionRef,
    hasChecks: checks.length + itemChecks.length + afterChecks.length > 0,
    checks,
    hasItemChecks: itemChecks.length > 0,
    loopVariable,
    itemChecks,
    afterChecks,
    serialized,
  };
}

type Assertion = (method: string, subject: string, args: string[], items?: boolean) => string;

/** `Assert::maxLength(self::NAME, 'user_id', $userId, 32)`: each throws a ValidationException naming event, field and rule. */
function assertion(assertRef: string, keyLiteral: string): Assertion {
  return (method, subject, args, items = false) =>
    `${assertRef}::${method}(self::NAME, ${keyLiteral}, ${subject}${args.map((arg) => `, ${arg}`).join('')}${items ? ', items: true' : ''})`;
}

function baseType(type: FieldModel['type'], enumName: string | null): string {
  switch (type.type) {
    case 'array':
      return 'array';
    case 'string':
      return enumName ?? 'string';
    case 'integer':
      return 'int';
    case 'number':
      return 'float';
    case 'boolean':
      return 'bool';
  }
}

function itemPhpType(items: ScalarType, enumName: string | null): string {
  return items.type === 'number' ? 'int|float' : baseType(items, enumName);
}

/** Checks of a value already of the right PHP type, in the order JSON Schema lists the keywords. */
function scalarChecks(type: ScalarType, subject: string, assert: Assertion, items: boolean): string[] {
  const out: string[] = [];
  if (type.type === 'string') {
    out.push(assert('text', subject, [], items));
    if (type.minLength !== undefined && type.minLength > 0) out.push(assert('minLength', subject, [String(type.minLength)], items));
    if (type.maxLength !== undefined) out.push(assert('maxLength', subject, [String(type.maxLength)], items));
    if (type.pattern !== undefined) out.push(assert('pattern', subject, [phpRegex(translatePattern(type.pattern, PCRE), 'u'), phpString(type.pattern)], items));
    if (type.format !== undefined) out.push(assert('format', subject, [phpString(type.format)], items));
  } else if (type.type === 'integer' || type.type === 'number') {
    if (type.type === 'number') out.push(assert('finite', subject, [], items));
    for (const keyword of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const) {
      const limit = type[keyword];
      if (limit !== undefined) out.push(assert(keyword, subject, [phpNumber(limit)], items));
    }
  }
  return out;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function minLengthMessage(limit: number): string {
  return `must have at least ${plural(limit, 'character')}`;
}

function maxLengthMessage(limit: number): string {
  return `must have at most ${plural(limit, 'character')}`;
}

/** A doc line wrapped with a hanging indent, as PHPDoc tags continue. */
function hangingLines(text: string): string[] {
  return docLines(text, 92).map((line, index) => (index === 0 ? line : `    ${line}`));
}

/** "Required. A string of at most 32 characters matching ^u-[0-9]+$." and the like. */
function describeConstraints(field: FieldModel): string {
  const parts = [field.required ? 'Required' : 'Optional (null leaves it out)'];
  const type = field.type;
  if (type.type === 'array') {
    const items = describeScalar(type.items);
    const counts = [
      type.minItems !== undefined ? `at least ${plural(type.minItems, 'item')}` : '',
      type.maxItems !== undefined ? `at most ${plural(type.maxItems, 'item')}` : '',
      type.uniqueItems ? 'no item twice' : '',
    ].filter(Boolean);
    parts.push(`A list of ${items.plural}${counts.length > 0 ? `; ${counts.join(', ')}` : ''}`);
  } else {
    parts.push(describeScalar(type).single);
  }
  if (field.pii !== 'none') parts.push(field.pii === 'hash' ? 'Personal data: the collector stores it hashed' : 'Personal data: the collector drops it before storage');
  return `${parts.join('. ')}.`.replace(/\*\//g, '*\u2215');
}

function describeScalar(type: ScalarType): { single: string; plural: string } {
  const rules: string[] = [];
  if (type.type === 'string') {
    if (type.enum) return { single: 'One of the enum cases', plural: 'enum cases' };
    if (type.minLength !== undefined) rules.push(`at least ${plural(type.minLength, 'character')}`);
    if (type.maxLength !== undefined) rules.push(`at most ${plural(type.maxLength, 'character')}`);
    if (type.pattern !== undefined) rules.push(`matching ${type.pattern}`);
    if (type.format !== undefined) rules.push(`a valid ${type.format}`);
    return { single: `A string${rules.length ? ` (${rules.join(', ')})` : ''}`, plural: `strings${rules.length ? ` (${rules.join(', ')})` : ''}` };
  }
  if (type.type === 'boolean') return { single: 'A boolean', plural: 'booleans' };
  if (type.minimum !== undefined) rules.push(`>= ${type.minimum}`);
  if (type.exclusiveMinimum !== undefined) rules.push(`> ${type.exclusiveMinimum}`);
  if (type.maximum !== undefined) rules.push(`<= ${type.maximum}`);
  if (type.exclusiveMaximum !== undefined) rules.push(`< ${type.exclusiveMaximum}`);
  const noun = type.type === 'integer' ? 'integer' : 'number';
  const bounds = rules.length ? ` (${rules.join(', ')})` : '';
  return { single: `A${noun === 'integer' ? 'n' : ''} ${noun}${bounds}`, plural: `${noun}s${bounds}` };
}

// ---------------------------------------------------------------------------------------
// The Validator's rule table: plain data, interpreted by Validator::checkValue().

function ruleTable(type: ScalarType | ArrayType): Record<string, unknown> {
  const table: Record<string, unknown> = { type: type.type };
  switch (type.type) {
    case 'string':
      if (type.enum !== undefined) table['enum'] = type.enum;
      if (type.minLength !== undefined) table['minLength'] = type.minLength;
      if (type.maxLength !== undefined) table['maxLength'] = type.maxLength;
      if (type.pattern !== undefined) {
        table['pattern'] = type.pattern;
        table['regex'] = new RawPhp(phpRegex(translatePattern(type.pattern, PCRE), 'u'));
      }
      if (type.format !== undefined) table['format'] = type.format;
      break;
    case 'integer':
    case 'number':
      for (const key of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const) {
        if (type[key] !== undefined) table[key] = type[key];
      }
      break;
    case 'array':
      table['items'] = ruleTable(type.items);
      if (type.minItems !== undefined) table['minItems'] = type.minItems;
      if (type.maxItems !== undefined) table['maxItems'] = type.maxItems;
      if (type.uniqueItems) table['uniqueItems'] = true;
      break;
    case 'boolean':
      break;
  }
  return table;
}

function buildFieldRules(model: LangpackModel): { keyLiteral: string; rules: string }[] {
  const byKey = new Map<string, FieldModel>();
  for (const event of model.events) for (const field of event.fields) byKey.set(`${field.name}@${field.version}`, field);
  return [...byKey.keys()].sort().map((key) => ({ keyLiteral: phpString(key), rules: phpArray(ruleTable((byKey.get(key) as FieldModel).type)) }));
}

class RawPhp {
  constructor(readonly code: string) {}
}

function phpArray(value: unknown): string {
  if (value instanceof RawPhp) return value.code;
  if (typeof value === 'string') return phpString(value);
  if (typeof value === 'number') return phpNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(phpArray).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `[${Object.entries(value).map(([key, entry]) => `${phpString(key)} => ${phpArray(entry)}`).join(', ')}]`;
  }
  throw new Error(`cannot write ${String(value)} as PHP`);
}

// ---------------------------------------------------------------------------------------
// README: an install command and an example built from this environment's own events.

function buildReadme(model: LangpackModel, namespace: string, composerName: string, events: EventView[]): ReadmeView {
  const first = model.events[0];
  const firstView = events[0];
  let example = '';
  if (first && firstView) {
    const enumUses: string[] = [];
    const viewOf = (field: FieldModel) => firstView.fields.find((candidate) => candidate.keyLiteral === phpString(field.name)) as FieldView;
    const args = first.fields.filter((field) => field.required).map((field) => `${viewOf(field).property}: ${exampleValue(field, viewOf(field), enumUses)}`);
    const optional = first.fields.find((field) => !field.required);
    const setter = optional ? `->${viewOf(optional).setter}(${exampleValue(optional, viewOf(optional), enumUses)})` : '';
    const tracked =
      args.length > 2
        ? `\n    ${optional ? '(' : ''}new ${firstView.className}(\n        ${args.join(',\n        ')},\n    )${optional ? `)${setter}` : ''},\n`
        : `${optional ? '(' : ''}new ${firstView.className}(${args.join(', ')})${optional ? `)${setter}` : ''}`;
    const imports = [
      `use ${namespace}\\Client;`,
      `use ${namespace}\\DeliveryError;`,
      ...[...new Set(enumUses)].map((name) => `use ${namespace}\\Enums\\${name};`),
      `use ${namespace}\\Events\\${firstView.className};`,
    ].sort();
    example = [
      '<?php',
      '',
      "require __DIR__ . '/vendor/autoload.php';",
      '',
      ...imports,
      '',
      '$client = new Client(',
      "    writeKey: (string) getenv('TAGPLAN_WRITE_KEY'),",
      "    endpoint: 'https://collector.example.com',",
      '    onError: static function (DeliveryError $error): void {',
      '        error_log((string) $error);',
      '    },',
      ');',
      '',
      `$client->track(${tracked});`,
      '',
      '// What is still queued is sent when the script ends; $client->flush() sends it now.',
    ].join('\n');
  }
  return {
    installCommand: `composer require ${composerName}`,
    example,
    firstEventLiteral: phpString(first?.name ?? 'event_name'),
    events: events.map((event, index) => ({
      classPath: `Events\\${event.className}`,
      catalogName: event.catalogName,
      version: event.version,
      summary: summary(model.events[index]?.description ?? '').replace(/\|/g, '\\|'),
    })),
  };
}

/** A plausible value for the README: the field's first example when it is usable, else one that passes. */
function exampleValue(field: FieldModel, view: FieldView, enumUses: string[]): string {
  const type = field.type;
  const example = field.examples[0];
  const enumName = view.type.replace(/^\?/, '');
  if (type.type === 'string' && type.enum) {
    enumUses.push(enumName);
    const value = typeof example === 'string' && type.enum.includes(example) ? example : (type.enum[0] as string);
    return `${enumName}::${constantNamer.identifier(enumValueWords(value), 'pascal')}`;
  }
  if (type.type === 'array') {
    const items = Array.isArray(example) ? example : [];
    if (type.items.type === 'string' && type.items.enum) {
      enumUses.push(enumName);
      return `[${items.slice(0, 2).map((value) => `${enumName}::${constantNamer.identifier(enumValueWords(String(value)), 'pascal')}`).join(', ')}]`;
    }
    return `[${items.map((value) => literalOf(value)).join(', ')}]`;
  }
  if (example !== undefined && example !== null && typeof example !== 'object') {
    if (type.type === 'number' && typeof example === 'number' && Number.isInteger(example)) return `${example}.0`;
    return literalOf(example);
  }
  switch (type.type) {
    case 'string':
      return type.format === 'uuid' ? "'3f0c8f8e-4a57-4d0e-9b7a-2b1f6c1d9e10'" : "'example'";
    case 'integer':
      return String(Math.max(type.minimum ?? 1, 1));
    case 'number':
      return '1.0';
    case 'boolean':
      return 'true';
  }
}

function literalOf(value: unknown): string {
  if (typeof value === 'string') return phpString(value);
  if (typeof value === 'number') return phpNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return 'null';
}
