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
  environmentLiteral: string;
  environmentDocLines: string[];
  formats: { date: string; dateTime: string; uri: string; email: string; uuid: string };
  events: EventView[];
  enums: EnumView[];
  readme: ReadmeView;
}

export interface EventView {
  className: string;
  path: string;
  nameLiteral: string;
  catalogName: string;
  version: number;
  owner: string;
  docLines: string[];
  imports: string[];
  eventRef: string;
  exceptionRef: string;
  hasConstructor: boolean;
  constructorDoc: { line: string }[];
  constructorParams: { declaration: string }[];
  constructorCalls: { setter: string; variable: string }[];
  fields: FieldView[];
  hasOptionalFields: boolean;
  /** One line per field of the Validator's rule table. */
  rules: { keyLiteral: string; rules: string }[];
}

export interface CheckView {
  condition: string;
  rule: string;
  message: string;
}

export interface FieldView {
  keyLiteral: string;
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
  propertyDeclaration: string;
  exceptionRef: string;
  hasChecks: boolean;
  checks: CheckView[];
  hasItemChecks: boolean;
  loopVariable: string;
  itemChecks: CheckView[];
  afterChecks: CheckView[];
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
  const events = model.events.map((event) => buildEvent(event, namespace, enums, eventScope));
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
    environmentLiteral: phpString(model.environment.name),
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

function buildEvent(event: EventModel, namespace: string, enums: { byField: Map<string, EnumRef> }, eventScope: ReturnType<typeof caseInsensitiveScope>): EventView {
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
  const checkRef = importAs(`${namespace}\\Internal\\Check`, 'Check', 'TagplanCheck');
  const exceptionRef = importAs(`${namespace}\\ValidationException`, 'ValidationException', 'TagplanValidationException');
  const enumRefs = new Map<string, string>();
  for (const field of event.fields) {
    const ref = enums.byField.get(enumKey(field));
    if (ref && !enumRefs.has(ref.fqn)) enumRefs.set(ref.fqn, importAs(ref.fqn, ref.className, `${ref.className}Enum`));
  }
  imports.sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));

  const memberScope = caseInsensitiveScope(`the members of event class ${className}`);
  const fields = event.fields.map((field) => {
    const enumRef = enums.byField.get(enumKey(field));
    return buildField(field, {
      memberScope,
      checkRef,
      exceptionRef,
      enumName: enumRef ? (enumRefs.get(enumRef.fqn) as string) : null,
      invalidEnumCases: enumRef?.invalid ?? [],
    });
  });
  const params = [...fields.filter((field) => field.required), ...fields.filter((field) => !field.required)];
  return {
    className,
    path: `src/Events/${className}.php`,
    nameLiteral: phpString(event.name),
    catalogName: event.name,
    version: event.version,
    owner: event.owner,
    docLines: [...docLines(event.description), ...(event.description ? [''] : []), `Event ${event.name}@${event.version}, owned by ${event.owner}.`],
    imports,
    eventRef,
    exceptionRef,
    hasConstructor: fields.length > 0,
    constructorDoc: params.flatMap((field) =>
      hangingLines(`@param ${field.docType || field.type} ${field.variable}${field.docLines.length > 0 ? ` ${summary(field.docLines.join(' '))}` : ''}`).map((line) => ({ line })),
    ),
    constructorParams: params.map((field) => ({ declaration: `${field.type} ${field.variable}${field.required ? '' : ' = null'}` })),
    constructorCalls: params.map((field) => ({ setter: field.setter, variable: field.variable })),
    fields,
    hasOptionalFields: fields.some((field) => !field.required),
    rules: event.fields.map((field) => ({ keyLiteral: phpString(field.name), rules: phpArray({ required: field.required, ...ruleTable(field.type) }) })),
  };
}

interface FieldContext {
  memberScope: ReturnType<typeof caseInsensitiveScope>;
  checkRef: string;
  exceptionRef: string;
  enumName: string | null;
  invalidEnumCases: EnumRef['invalid'];
}

function buildField(field: FieldModel, context: FieldContext): FieldView {
  const camel = context.memberScope.claim(variableNamer.identifier(field.name, 'camel'), `field ${field.name}`);
  const pascal = casing.pascal(field.name);
  const variable = `$${camel}`;
  const loopVariable = camel === 'item' ? '$element' : '$item';
  const { checkRef } = context;
  const base = baseType(field.type, context.enumName);
  const type = field.required ? base : `?${base}`;
  const itemDocType = field.type.type === 'array' ? itemPhpType(field.type.items, context.enumName) : '';
  const docType = field.type.type === 'array' ? `list<${itemDocType}>${field.required ? '' : '|null'}` : '';

  let checks: CheckView[] = [];
  let itemChecks: CheckView[] = [];
  let afterChecks: CheckView[] = [];
  const enumChecks = (subject: string, prefix: string): CheckView[] =>
    context.invalidEnumCases.map((entry) => check(`${subject} === ${context.enumName as string}::${entry.caseName}`, entry.rule, `${prefix}${entry.message}`));
  if (field.type.type === 'array') {
    const items = field.type.items;
    checks = [
      check(`!array_is_list(${variable})`, 'type', 'must be a list (an array with keys 0, 1, 2...)'),
      ...(field.type.minItems !== undefined ? [check(`count(${variable}) < ${field.type.minItems}`, 'minItems', `must have at least ${plural(field.type.minItems, 'item')}`)] : []),
      ...(field.type.maxItems !== undefined ? [check(`count(${variable}) > ${field.type.maxItems}`, 'maxItems', `must have at most ${plural(field.type.maxItems, 'item')}`)] : []),
    ];
    itemChecks = [...itemTypeChecks(items, loopVariable, context.enumName), ...(context.enumName ? enumChecks(loopVariable, 'items ') : scalarChecks(items, loopVariable, checkRef, 'items '))];
    afterChecks = field.type.uniqueItems ? [check(`${checkRef}::hasDuplicates(${variable})`, 'uniqueItems', 'must not contain the same item twice')] : [];
  } else if (context.enumName) {
    checks = enumChecks(variable, '');
  } else {
    checks = scalarChecks(field.type, variable, checkRef, '');
  }

  const property = `$this->${camel}`;
  let serialized = property;
  if (context.enumName && field.type.type === 'array') serialized = `array_map(static fn (${context.enumName} $value): string => $value->value, ${property})`;
  else if (context.enumName) serialized = `${property}->value`;

  return {
    keyLiteral: phpString(field.name),
    property: camel,
    variable,
    setter: `set${pascal}`,
    getter: `get${pascal}`,
    required: field.required,
    type,
    docType,
    hasDocType: docType !== '',
    docLines: docLines(field.description),
    constraintLines: docLines(describeConstraints(field)),
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

function check(condition: string, rule: string, message: string): CheckView {
  return { condition, rule: phpString(rule), message: phpString(message) };
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

/** The type test of one array item: PHP cannot type an array's elements. */
function itemTypeChecks(items: ScalarType, subject: string, enumName: string | null): CheckView[] {
  switch (items.type) {
    case 'string':
      return enumName ? [check(`!(${subject} instanceof ${enumName})`, 'type', `items must be ${enumName} cases`)] : [check(`!is_string(${subject})`, 'type', 'items must be strings')];
    case 'integer':
      return [check(`!is_int(${subject})`, 'type', 'items must be integers')];
    case 'number':
      return [check(`!is_int(${subject}) && !is_float(${subject})`, 'type', 'items must be numbers')];
    case 'boolean':
      return [check(`!is_bool(${subject})`, 'type', 'items must be booleans')];
  }
}

/** Checks of a value already of the right PHP type, in the order ajv reports them. */
function scalarChecks(type: ScalarType, subject: string, checkRef: string, prefix: string): CheckView[] {
  const out: CheckView[] = [];
  if (type.type === 'string') {
    out.push(check(`!${checkRef}::isUtf8(${subject})`, 'type', `${prefix}must be valid UTF-8 text`));
    if (type.minLength !== undefined && type.minLength > 0) {
      out.push(check(type.minLength === 1 ? `${subject} === ''` : `${checkRef}::isShorterThan(${subject}, ${type.minLength})`, 'minLength', `${prefix}${minLengthMessage(type.minLength)}`));
    }
    if (type.maxLength !== undefined) out.push(check(`${checkRef}::isLongerThan(${subject}, ${type.maxLength})`, 'maxLength', `${prefix}${maxLengthMessage(type.maxLength)}`));
    if (type.pattern !== undefined) {
      out.push(check(`preg_match(${phpRegex(translatePattern(type.pattern, PCRE), 'u')}, ${subject}) !== 1`, 'pattern', `${prefix}must match the pattern ${type.pattern}`));
    }
    if (type.format !== undefined) out.push(check(`!${checkRef}::${FORMAT_METHODS[type.format]}(${subject})`, 'format', `${prefix}must be a valid ${type.format}`));
  } else if (type.type === 'integer' || type.type === 'number') {
    if (type.type === 'number') out.push(check(`!is_finite(${subject})`, 'type', `${prefix}must be a finite number, not NaN or infinite`));
    if (type.minimum !== undefined) out.push(check(`${subject} < ${phpNumber(type.minimum)}`, 'minimum', `${prefix}must be >= ${type.minimum}`));
    if (type.maximum !== undefined) out.push(check(`${subject} > ${phpNumber(type.maximum)}`, 'maximum', `${prefix}must be <= ${type.maximum}`));
    if (type.exclusiveMinimum !== undefined) out.push(check(`${subject} <= ${phpNumber(type.exclusiveMinimum)}`, 'exclusiveMinimum', `${prefix}must be > ${type.exclusiveMinimum}`));
    if (type.exclusiveMaximum !== undefined) out.push(check(`${subject} >= ${phpNumber(type.exclusiveMaximum)}`, 'exclusiveMaximum', `${prefix}must be < ${type.exclusiveMaximum}`));
  }
  return out;
}

const FORMAT_METHODS: Record<NonNullable<StringType['format']>, string> = {
  date: 'isDate',
  'date-time': 'isDateTime',
  uri: 'isUri',
  email: 'isEmail',
  uuid: 'isUuid',
};

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
    const construction =
      args.length > 2 ? `new ${firstView.className}(\n        ${args.join(',\n        ')},\n    )` : `new ${firstView.className}(${args.join(', ')})`;
    const optional = first.fields.find((field) => !field.required);
    const chained = optional ? `(${construction})\n        ->${viewOf(optional).setter}(${exampleValue(optional, viewOf(optional), enumUses)})` : construction;
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
      `$client->track(${chained});`,
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
