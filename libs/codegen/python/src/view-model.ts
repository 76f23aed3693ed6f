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
  type NameScope,
  type PackageNaming,
  type ScalarType,
  type StringType,
} from '@tagplan/codegen-core';
import { LINE_LENGTH, pyLiteral, pyNumber, pyRegex, pyString, pythonNamer, scalarPythonType } from './python.facts';

/**
 * The view model of a Python langpack: every identifier cased and escaped, every literal
 * quoted, every docstring wrapped and every long call laid out (Black's style), so that
 * the templates only loop and branch.
 */
export interface PythonView {
  generatedBy: string;
  distribution: string;
  distributionLiteral: string;
  module: string;
  moduleLiteral: string;
  versionLiteral: string;
  descriptionLiteral: string;
  userAgentLiteral: string;
  environmentLabel: string;
  initDoc: string;
  eventsDoc: string;
  typingImports: string;
  validationImports: string;
  eventsAll: string[];
  eventImports: string;
  allExports: string[];
  aliases: { statement: string; doc: string }[];
  constants: { name: string; literal: string }[];
  rules: { statement: string }[];
  /** Each event class, already rendered (see buildPythonView). */
  events: RenderedEvent[];
  readme: ReadmeView;
}

export interface RenderedEvent {
  className: string;
  nameLiteral: string;
  source: string;
}

export interface EventView {
  className: string;
  nameLiteral: string;
  version: number;
  doc: string;
  slots: string;
  schemaFields: string;
  schemaRequired: string;
  parameters: string[];
  fields: FieldView[];
  optionalFields: FieldView[];
  dataLiteral: string;
}

export interface FieldView {
  name: string;
  /** `self._x: T = _X.required("event", x)`, laid out. */
  initAssign: string;
  /** `self._x = _X.required("event", value)`, laid out. */
  setAssign: string;
  /** `def x(self) -> T:` and `def set_x(self, value: T) -> Event:`, laid out. */
  getterDef: string;
  setterDef: string;
  nameLiteral: string;
  property: string;
  setter: string;
  parameter: string;
  slot: string;
  rule: string;
  required: boolean;
  /** The getter's type; the setter takes `inputType` (a Sequence where the getter gives a tuple). */
  type: string;
  inputType: string;
  doc: string;
  setterDoc: string;
}

export interface ReadmeView {
  title: string;
  description: string;
  environment: string;
  environmentVersion: number;
  version: string;
  module: string;
  distribution: string;
  example: string;
  validateExample: string;
  /** One enum constant, e.g. `SOURCE_SEARCH = "search"`; empty without enums. */
  constantExample: string;
  events: { name: string; version: number; className: string; required: string; description: string }[];
}

const INDENT = '    ';
const DOUBLE_INDENT = INDENT + INDENT;

/**
 * The view of a langpack. Each event's view is handed to `renderEvent` as soon as it is
 * built and only the rendered class is kept: a large environment's views never pile up
 * in memory, and the garbage collector has little to move.
 */
export function buildPythonView(model: LangpackModel, naming: PackageNaming | undefined, renderEvent: (event: EventView) => string): PythonView {
  const names = packageNames(model.environment.name, naming);
  const namer = pythonNamer();
  const module = namer.scope(`module ${names.pythonModule}`);
  const environmentLabel = `${model.environment.name}@${model.environment.version}`;

  const enums = new EnumNaming(namer, module);
  const rules = new RuleNaming(module);
  for (const event of model.events) for (const field of event.fields) {
    enums.add(field);
    rules.add(field);
  }

  const cache = new FieldCache();
  const example = chooseExampleEvent(model);
  let exampleView: ExampleEvent | undefined;
  const events = model.events.map((event): RenderedEvent => {
    const view = eventView(event, namer, module, enums, rules, cache, environmentLabel);
    if (event === example) {
      exampleView = { className: view.className, fields: new Map(view.fields.map((field) => [field.name, { parameter: field.parameter, setter: field.setter }])) };
    }
    return { className: view.className, nameLiteral: view.nameLiteral, source: renderEvent(view) };
  });
  const usesArrays = model.events.some((event) => event.fields.some((field) => field.type.type === 'array'));
  const usesOptional = model.events.some((event) => event.fields.some((field) => !field.required));
  const typing = ['Any', 'ClassVar', 'Dict', 'Final', 'List', 'Mapping', 'Type'];
  if (enums.aliases.length > 0) typing.push('Literal');
  if (usesOptional) typing.push('Optional');
  if (usesArrays) typing.push('Sequence', 'Tuple');
  typing.sort();

  const ruleClasses = new Set(rules.entries.flatMap((entry) => entry.classes));
  const validationImports = [...ruleClasses, 'EventSchema', 'Violation'].sort();

  const classNames = events.map((event) => event.className);
  const aliasNames = enums.aliases.map((alias) => alias.name);
  const constantNames = enums.constants.map((constant) => constant.name);
  const eventsAll = ['Event', 'EVENT_TYPES', 'validate_event', ...classNames, ...aliasNames, ...constantNames];
  const eventExports = isortOrder(eventsAll);
  const fixedExports = [
    'LANGPACK', 'LANGPACK_VERSION', 'Client', 'DeliveryError', 'DeliveryReason', 'Response', 'TagplanError', 'TagplanValidationError',
    'Transport', 'Violation', 'urllib_transport', 'uuid7',
  ];
  const description = model.environment.description.trim();
  const summary = `Typed Tagplan events for ${environmentLabel}${description ? `: ${firstSentence(description)}` : '.'}`;

  return {
    generatedBy: model.generatedBy,
    distribution: names.python,
    distributionLiteral: pyString(names.python),
    module: names.pythonModule,
    moduleLiteral: pyString(names.pythonModule),
    versionLiteral: pyString(model.packageVersion),
    descriptionLiteral: pyString(summary.replace(/\s+/g, ' ')),
    userAgentLiteral: pyString(`${names.python}/${model.packageVersion} (tagplan python langpack)`),
    environmentLabel,
    initDoc: docstring(
      [
        `Typed Tagplan events for the \`\`${model.environment.name}\`\` environment, version ${model.environment.version}.`,
        ...(description ? [description] : []),
        'One class per event takes the required fields as keyword arguments and refuses, with a TagplanValidationError, any value the catalog does not allow; Client sends events to the collector in the background. See README.md.',
      ],
      '',
    ),
    eventsDoc: docstring(
      [
        `The events of \`\`${environmentLabel}\`\`: one class per event, checked against the catalog.`,
        'Every field has a property (its getter) and a set_<field> method that checks the value and returns the event, for chaining. Enum fields are typed with Literal types and have a constant per value.',
      ],
      '',
    ),
    typingImports: importFrom('typing', typing),
    validationImports: importFrom('.validation', validationImports),
    eventsAll: eventsAll.map(pyString),
    eventImports: importFrom('.events', eventExports),
    allExports: isortOrder([...fixedExports, ...eventsAll, '__version__']).map(pyString),
    aliases: enums.aliases.map((alias) => ({
      statement: wrapList(`${alias.name} = Literal[`, alias.values.map(pyString), ']', ''),
      doc: docstring([alias.doc], ''),
    })),
    constants: enums.constants.map((constant) => ({ name: constant.name, literal: pyString(constant.value) })),
    rules: rules.entries.map((entry) => ({ statement: entry.statement })),
    events,
    readme: readmeView(model, names.python, names.pythonModule, events, example, exampleView, enums.constants[0]),
  };
}

function eventView(
  event: EventModel,
  namer: ReturnType<typeof pythonNamer>,
  module: NameScope,
  enums: EnumNaming,
  rules: RuleNaming,
  cache: FieldCache,
  environmentLabel: string,
): EventView {
  const className = module.claim(namer.identifier(event.name, 'pascal'), `event ${event.name}`);
  const members = namer.scope(`class ${className}`);
  const eventLiteral = pyString(event.name);
  const fields = event.fields.map((field): FieldView => {
    const facts = cache.field(field, () => fieldFacts(field, namer, enums, rules, environmentLabel));
    members.claim(facts.property, facts.propertySource);
    members.claim(facts.setter, facts.setterSource);
    const { property, slot, type, check } = facts;
    return {
      name: facts.name,
      nameLiteral: facts.nameLiteral,
      property,
      setter: facts.setter,
      parameter: facts.parameter,
      slot,
      rule: facts.rule,
      required: facts.required,
      type,
      inputType: facts.inputType,
      doc: facts.doc,
      setterDoc: facts.setterDoc,
      getterDef: facts.getterDef,
      initAssign: assignment(`self.${slot}: ${type}`, { open: check, items: [eventLiteral, property], close: ')', call: true }, DOUBLE_INDENT),
      setAssign: assignment(`self.${slot}`, { open: check, items: [eventLiteral, 'value'], close: ')', call: true }, DOUBLE_INDENT),
      setterDef: layout({ open: `def ${facts.setter}(`, items: ['self', `value: ${facts.inputType}`], close: `) -> ${className}:`, call: true }, INDENT),
    };
  });
  const nameLiteral = eventLiteral;
  const required = fields.filter((field) => field.required);
  const optional = fields.filter((field) => !field.required);
  const classDoc = [
    event.description.trim() || `The \`\`${event.name}\`\` event.`,
    `\`\`${event.name}\`\` version ${event.version}${event.owner ? `, owned by ${event.owner}` : ''}.`,
  ];
  return {
    className,
    nameLiteral,
    version: event.version,
    doc: docstring(classDoc, INDENT),
    slots: wrapTuple('__slots__ = ', fields.map((field) => pyString(field.slot)), INDENT),
    schemaFields: wrapTuple('fields=', fields.map((field) => field.rule), DOUBLE_INDENT, 1),
    schemaRequired: wrapTuple('required=', required.map((field) => field.nameLiteral), DOUBLE_INDENT, 1),
    parameters: [...required, ...optional].map((field) => `${field.parameter}: ${field.inputType}${field.required ? '' : ' = None'}`),
    fields,
    optionalFields: optional,
    dataLiteral: wrapList(
      'data: Dict[str, Any] = {',
      required.map((field) => `${field.nameLiteral}: self.${field.slot}`),
      '}',
      DOUBLE_INDENT,
    ),
  };
}

type FieldFacts = Omit<FieldView, 'initAssign' | 'setAssign' | 'setterDef'> & { check: string; propertySource: string; setterSource: string };

/** What a field gives whatever event carries it; computed once per field version and required flag. */
function fieldFacts(field: FieldModel, namer: ReturnType<typeof pythonNamer>, enums: EnumNaming, rules: RuleNaming, environmentLabel: string): FieldFacts {
  const property = namer.identifier(field.name, 'snake');
  const snake = casing.snake(field.name);
  const base = enums.pythonType(field);
  const stored = field.type.type === 'array' ? `Tuple[${base}, ...]` : base;
  const input = field.type.type === 'array' ? `Sequence[${base}]` : base;
  const type = field.required ? stored : `Optional[${stored}]`;
  const inputType = field.required ? input : `Optional[${input}]`;
  const origin = field.common ? ` A common field of \`\`${environmentLabel.split('@')[0]}\`\`.` : '';
  const requiredText = field.required ? 'Required.' : 'Optional; None when it is not set.';
  const rule = rules.nameOf(field);
  return {
    name: field.name,
    nameLiteral: pyString(field.name),
    property,
    setter: `set_${snake}`,
    parameter: property,
    slot: `_${snake}`,
    rule,
    check: `${rule}.${field.required ? 'required' : 'optional'}(`,
    propertySource: `field ${field.name}`,
    setterSource: `the setter of field ${field.name}`,
    required: field.required,
    type,
    inputType,
    getterDef: layout({ open: `def ${property}(`, items: ['self'], close: `) -> ${type}:`, call: true }, INDENT),
    doc: docstring([field.description.trim() || `The \`\`${field.name}\`\` field.`, `${describeType(field.type)} ${requiredText}${origin}`], DOUBLE_INDENT),
    setterDoc: docstring(
      [field.required ? `Sets :attr:\`${property}\` and returns this event.` : `Sets :attr:\`${property}\` (None leaves it out) and returns this event.`],
      DOUBLE_INDENT,
    ),
  };
}

class FieldCache {
  private readonly facts = new Map<string, Map<number, FieldFacts>>();

  field(field: FieldModel, make: () => FieldFacts): FieldFacts {
    let versions = this.facts.get(field.name);
    if (versions === undefined) {
      versions = new Map();
      this.facts.set(field.name, versions);
    }
    const key = field.version * 4 + (field.required ? 2 : 0) + (field.common ? 1 : 0);
    let found = versions.get(key);
    if (found === undefined) {
      found = make();
      versions.set(key, found);
    }
    return found;
  }
}

/**
 * Enum fields: a Literal type per distinct list of values of a field (`Source`, or
 * `SourceV2` when the environment pins versions of the field with different lists;
 * `SearchFiltersItem` for an array's items) and a constant per value (`SOURCE_SEARCH`).
 */
class EnumNaming {
  readonly aliases: { name: string; values: string[]; doc: string }[] = [];
  readonly constants: { name: string; value: string }[] = [];
  private readonly aliasByKey = new Map<string, string>();
  private readonly listsByField = new Map<string, { key: string; version: number }[]>();
  private readonly constantKeys = new Set<string>();

  constructor(
    private readonly namer: ReturnType<typeof pythonNamer>,
    private readonly module: NameScope,
  ) {}

  add(field: FieldModel): void {
    const values = enumOf(field.type);
    if (!values) return;
    const key = `${field.name}\u0000${jsonKey(values)}`;
    const lists = this.listsByField.get(field.name) ?? [];
    if (!lists.some((entry) => entry.key === key)) lists.push({ key, version: field.version });
    this.listsByField.set(field.name, lists);
    for (const value of values) {
      const constantKey = `${field.name}\u0000${value}`;
      if (this.constantKeys.has(constantKey)) continue;
      this.constantKeys.add(constantKey);
      const name = `${casing.upperSnake(field.name)}_${valueWords(value)}`;
      this.module.claim(name, `enum value ${JSON.stringify(value)} of field ${field.name}`);
      this.constants.push({ name, value });
    }
  }

  /** The Python type of the field's value (or of its items, for an array). */
  pythonType(field: FieldModel): string {
    const values = enumOf(field.type);
    const scalar: ScalarType = field.type.type === 'array' ? field.type.items : field.type;
    if (!values) return scalarPythonType(scalar);
    const key = `${field.name}\u0000${jsonKey(values)}`;
    let alias = this.aliasByKey.get(key);
    if (alias === undefined) {
      const lists = this.listsByField.get(field.name) ?? [];
      const version = lists.length > 1 ? lists.find((entry) => entry.key === key)?.version : undefined;
      const catalogName = [field.name, ...(field.type.type === 'array' ? ['item'] : []), ...(version === undefined ? [] : [`v${version}`])].join('_');
      alias = this.module.claim(this.namer.identifier(catalogName, 'pascal'), `the enum type of field ${field.name}${version === undefined ? '' : `@${version}`}`);
      this.aliasByKey.set(key, alias);
      const of = field.type.type === 'array' ? `an item of \`\`${field.name}\`\`` : `\`\`${field.name}\`\``;
      this.aliases.push({ name: alias, values, doc: `The values of ${of}${version === undefined ? '' : ` (version ${version})`}.` });
    }
    return alias;
  }
}

function enumOf(type: FieldType): string[] | undefined {
  const scalar = type.type === 'array' ? type.items : type;
  return scalar.type === 'string' ? scalar.enum : undefined;
}

/**
 * An enum value as the tail of a constant name: ASCII letters and digits in upper case,
 * accents folded ("ünï" gives UNI), anything else a word break. A value with nothing
 * left ("", "😀") is named by its code points (EMPTY, U1F600).
 */
export function valueWords(value: string): string {
  const folded = value.normalize('NFKD').replace(/\p{M}/gu, '');
  const parts = folded.split(/[^A-Za-z0-9]+/).filter(Boolean);
  if (parts.length > 0) return parts.join('_').toUpperCase();
  if (value === '') return 'EMPTY';
  return [...value].map((char) => `U${(char.codePointAt(0) as number).toString(16).toUpperCase()}`).join('_');
}

/** One rule object per field version: `_USER_ID = StringRule("user_id", ...)`. */
class RuleNaming {
  readonly entries: { statement: string; classes: string[] }[] = [];
  private readonly names = new Map<string, string>();
  private readonly versions = new Map<string, Set<number>>();
  private readonly pending: FieldModel[] = [];

  constructor(private readonly module: NameScope) {}

  add(field: FieldModel): void {
    const versions = this.versions.get(field.name) ?? new Set<number>();
    if (!versions.has(field.version)) this.pending.push(field);
    versions.add(field.version);
    this.versions.set(field.name, versions);
  }

  nameOf(field: FieldModel): string {
    this.flush();
    return this.names.get(`${field.name}@${field.version}`) as string;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    // Names depend on how many versions of a field the environment pins, known only
    // once every field has been added.
    for (const field of this.pending.splice(0)) {
      const versioned = (this.versions.get(field.name)?.size ?? 0) > 1;
      const name = this.module.claim(`_${casing.upperSnake(field.name)}${versioned ? `_V${field.version}` : ''}`, `the rule of field ${field.name}@${field.version}`);
      this.names.set(`${field.name}@${field.version}`, name);
      const classes = new Set<string>();
      const expression = ruleExpression(field.name, field.type, classes);
      this.entries.push({ statement: layout({ open: `${name} = ${expression.callee}(`, items: expression.args, close: ')', call: true }, ''), classes: [...classes] });
    }
  }
}

interface Call {
  callee: string;
  args: Node[];
}

function ruleExpression(name: string, type: FieldType, classes: Set<string>): Call {
  const field = pyString(name);
  if (type.type === 'array') {
    const items = ruleExpression(name, type.items, classes);
    classes.add('ArrayRule');
    const args: Node[] = [field, { open: `${items.callee}(`, items: items.args, close: ')', call: true }];
    if (type.minItems !== undefined) args.push(`min_items=${type.minItems}`);
    if (type.maxItems !== undefined) args.push(`max_items=${type.maxItems}`);
    if (type.uniqueItems) args.push('unique_items=True');
    return { callee: 'ArrayRule', args };
  }
  switch (type.type) {
    case 'string': {
      classes.add('StringRule');
      return { callee: 'StringRule', args: [field, ...stringArgs(type)] };
    }
    case 'integer':
    case 'number': {
      const callee = type.type === 'integer' ? 'IntegerRule' : 'NumberRule';
      classes.add(callee);
      const args: Node[] = [field];
      if (type.minimum !== undefined) args.push(`minimum=${pyNumber(type.minimum)}`);
      if (type.maximum !== undefined) args.push(`maximum=${pyNumber(type.maximum)}`);
      if (type.exclusiveMinimum !== undefined) args.push(`exclusive_minimum=${pyNumber(type.exclusiveMinimum)}`);
      if (type.exclusiveMaximum !== undefined) args.push(`exclusive_maximum=${pyNumber(type.exclusiveMaximum)}`);
      return { callee, args };
    }
    case 'boolean':
      classes.add('BooleanRule');
      return { callee: 'BooleanRule', args: [field] };
  }
}

function stringArgs(type: StringType): Node[] {
  const args: Node[] = [];
  if (type.enum) args.push({ open: 'enum=(', items: type.enum.map(pyString), close: ')', tuple: true });
  if (type.pattern !== undefined) {
    const translated = translatePattern(type.pattern, PATTERN_DIALECTS.python);
    args.push(`pattern=${pyRegex(translated)}`);
    if (translated !== type.pattern) args.push(`catalog_pattern=${pyRegex(type.pattern)}`);
  }
  if (type.format !== undefined) args.push(`format=${pyString(type.format)}`);
  if (type.minLength !== undefined) args.push(`min_length=${type.minLength}`);
  if (type.maxLength !== undefined) args.push(`max_length=${type.maxLength}`);
  return args;
}

/** "String, 1 to 64 characters, matching ^[a-z]+$." — the constraints, for docstrings. */
function describeType(type: FieldType): string {
  if (type.type === 'array') {
    const parts = [`Array of ${describeScalar(type.items).replace(/^\w/, (first) => first.toLowerCase())}`];
    const count = range(type.minItems, type.maxItems, 'items');
    if (count) parts.push(count);
    if (type.uniqueItems) parts.push('no duplicates');
    return `${parts.join('; ')}.`;
  }
  return `${describeScalar(type)}.`;
}

function describeScalar(type: ScalarType): string {
  switch (type.type) {
    case 'string': {
      const parts = [type.enum ? `One of ${type.enum.map((value) => JSON.stringify(value)).join(', ')}` : 'String'];
      if (type.format) parts.push(`format ${type.format}`);
      const length = range(type.minLength, type.maxLength, 'characters');
      if (length) parts.push(length);
      if (type.pattern !== undefined) parts.push(`matching \`\`${type.pattern}\`\``);
      return parts.join(', ');
    }
    case 'integer':
    case 'number': {
      const parts = [type.type === 'integer' ? 'Integer' : 'Number'];
      if (type.minimum !== undefined) parts.push(`>= ${type.minimum}`);
      if (type.exclusiveMinimum !== undefined) parts.push(`> ${type.exclusiveMinimum}`);
      if (type.maximum !== undefined) parts.push(`<= ${type.maximum}`);
      if (type.exclusiveMaximum !== undefined) parts.push(`< ${type.exclusiveMaximum}`);
      return parts.join(', ');
    }
    case 'boolean':
      return 'Boolean';
  }
}

function range(min: number | undefined, max: number | undefined, unit: string): string | undefined {
  if (min !== undefined && max !== undefined) return min === max ? `exactly ${min} ${unit}` : `${min} to ${max} ${unit}`;
  if (min !== undefined) return `at least ${min} ${unit}`;
  if (max !== undefined) return `at most ${max} ${unit}`;
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Layout: docstrings and calls, as Black and PEP 257 lay them out.

/**
 * A docstring at `indent`: one line when it fits, otherwise the summary on the first
 * line, paragraphs separated by blank lines and the closing quotes on their own line.
 */
export function docstring(paragraphs: string[], indent: string): string {
  const texts = paragraphs.map(escapeDocstring).filter((text) => text.length > 0);
  const single = `${indent}"""${texts.join(' ')}"""`;
  if (texts.length === 1 && single.length <= LINE_LENGTH && !texts[0]?.includes('\n')) return single;
  // A one-paragraph text that only misses the single-line form by its closing quotes
  // must still wrap: Black would pull the quotes back onto a lone text line.
  const width = LINE_LENGTH - indent.length - (texts.length === 1 ? 3 : 0);
  const lines: string[] = [];
  texts.forEach((text, index) => {
    if (index > 0) lines.push('');
    // The opening quotes take room on the first line: wrap them with the text.
    const source = index === 0 ? `"""${text}` : text;
    for (const line of source.split('\n')) lines.push(...wrapText(line, width));
  });
  const body = lines.map((line) => (line === '' ? '' : `${indent}${line}`));
  return `${body.join('\n')}\n${indent}"""`;
}

const DOCSTRING_SPECIAL = /[\\"\t\r\u0000-\u001f\u007f\u2028\u2029]|^\s|\s$/;

function escapeDocstring(text: string): string {
  if (!DOCSTRING_SPECIAL.test(text)) return text;
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\\/g, '\\\\')
    .replace(/"""/g, '\\"\\"\\"')
    .replace(/\t/g, ' ')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029]/g, (char) => `\\x${(char.codePointAt(0) as number).toString(16).padStart(2, '0')}`)
    .replace(/"$/, '\\"')
    .trim();
}

export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    if (word === '') continue;
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/** Code laid out as Black does: a bracketed group stays on one line if it fits, else one item per line. */
export type Node = string | Group;

export interface Group {
  open: string;
  items: Node[];
  close: string;
  /** A tuple display: one item needs a trailing comma, `("a",)`. */
  tuple?: boolean;
  /** A call's arguments first try one indented line of their own, as Black does. */
  call?: boolean;
}

function flat(node: Node): string {
  if (typeof node === 'string') return node;
  const comma = node.tuple && node.items.length === 1 ? ',' : '';
  return `${node.open}${node.items.map(flat).join(', ')}${comma}${node.close}`;
}

/**
 * `node` at `indent` (with `reserve` characters following it on its last line). The
 * first line is returned unindented: the template or the enclosing group indents it.
 */
export function layout(node: Node, indent: string, reserve = 0): string {
  const single = flat(node);
  if (typeof node === 'string' || node.items.length === 0 || indent.length + single.length + reserve <= LINE_LENGTH) return single;
  const inner = indent + INDENT;
  if (node.call) {
    const hugged = node.items.map(flat).join(', ');
    if (inner.length + hugged.length <= LINE_LENGTH) return `${node.open}\n${inner}${hugged}\n${indent}${node.close}`;
  }
  return `${node.open}\n${node.items.map((item) => `${inner}${layout(item, inner, 1)},\n`).join('')}${indent}${node.close}`;
}

/** `head + items + tail` on one line if it fits at `indent`, else one item per line. */
export function wrapList(head: string, items: string[], tail: string, indent: string): string {
  return layout({ open: head, items, close: tail }, indent);
}

/**
 * `target = call(...)`: split inside the call's brackets when its first line fits, else
 * the call goes on a line of its own in parentheses (Black's right-hand-side rule).
 */
export function assignment(target: string, call: Group, indent: string): string {
  const open = `${target} = ${call.open}`;
  const statement: Group = { open, items: call.items, close: call.close, call: call.call };
  if (indent.length + open.length <= LINE_LENGTH) return layout(statement, indent);
  const inner = indent + INDENT;
  return `${target} = (\n${inner}${layout(call, inner)}\n${indent})`;
}

function wrapTuple(head: string, items: string[], indent: string, reserve = 0): string {
  return layout({ open: `${head}(`, items, close: ')', tuple: true }, indent, reserve);
}

/** `from module import a, b` on one line if it fits, else parenthesized one per line. */
function importFrom(module: string, names: string[]): string {
  const single = `from ${module} import ${names.join(', ')}`;
  return single.length <= LINE_LENGTH ? single : wrapList(`from ${module} import (`, names, ')', '');
}

/** isort's order for `from x import (...)`: CONSTANTS, then Classes, then functions. */
function isortOrder(names: string[]): string[] {
  const rank = (name: string) => (/^[A-Z0-9_]+$/.test(name) ? 0 : /^[A-Z]/.test(name) ? 1 : 2);
  return [...names].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const match = /^(.+?[.!?])(\s|$)/.exec(flat);
  const sentence = match?.[1] ?? flat;
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

// ---------------------------------------------------------------------------------------
// README

interface ExampleEvent {
  className: string;
  fields: Map<string, { parameter: string; setter: string }>;
}

function readmeView(
  model: LangpackModel,
  distribution: string,
  module: string,
  events: RenderedEvent[],
  chosen: EventModel | undefined,
  view: ExampleEvent | undefined,
  constant?: { name: string; value: string },
): ReadmeView {
  let example = `from ${module} import Client\n\nwith Client("<write key>", endpoint="https://collector.example.com") as client:\n    ...`;
  let validateExample = `from ${module} import validate_event\n\nviolations = validate_event("some_event", {})`;
  if (chosen && view) {
    const fieldsByName = view.fields;
    const args = chosen.fields
      .filter((field) => field.required)
      .map((field) => `${fieldsByName.get(field.name)?.parameter ?? field.name}=${pyLiteral(exampleValue(field))}`);
    const optional = chosen.fields.find((field) => !field.required && enumOf(field.type) && field.type.type !== 'array') ?? chosen.fields.find((field) => !field.required);
    const construct = wrapList(`${view.className}(`, args, ')', DOUBLE_INDENT);
    const setter = optional ? `.${fieldsByName.get(optional.name)?.setter}(${pyLiteral(exampleValue(optional))})` : '';
    example = [
      `from ${module} import Client, ${view.className}`,
      '',
      'with Client("<write key>", endpoint="https://collector.example.com") as client:',
      '    client.track(',
      `        ${construct.split('\n').join(`\n`)}${setter ? `\n        ${setter}` : ''}`,
      '    )',
    ].join('\n');
    const first = chosen.fields.find((field) => field.required);
    validateExample = [
      'import json',
      '',
      `from ${module} import validate_event`,
      '',
      `for violation in validate_event(${pyString(chosen.name)}, json.loads(body)):`,
      ...(first ? [`    # e.g. "${chosen.name}.${first.name}: is required (required)" without ${first.name}`] : []),
      '    print(violation)',
    ].join('\n');
  }
  return {
    title: distribution,
    description: model.environment.description.trim().replace(/\s+/g, ' '),
    environment: model.environment.name,
    environmentVersion: model.environment.version,
    version: model.packageVersion,
    module,
    distribution,
    example,
    validateExample,
    constantExample: constant ? `${constant.name} = ${pyString(constant.value)}` : '',
    events: model.events.map((event, index) => ({
      name: event.name,
      version: event.version,
      className: events[index]?.className ?? '',
      required: event.fields.filter((field) => field.required).map((field) => `\`${field.name}\``).join(', ') || '—',
      description: firstSentence(event.description || event.name).replace(/\|/g, '\\|'),
    })),
  };
}

/** The event the README shows: one whose required fields all have usable examples, preferring few of them. */
function chooseExampleEvent(model: LangpackModel): EventModel | undefined {
  const scored = model.events.map((event) => ({
    event,
    missing: event.fields.filter((field) => field.required && field.examples.length === 0).length,
    required: event.fields.filter((field) => field.required).length,
    hasEnum: event.fields.some((field) => !field.required && enumOf(field.type) !== undefined),
  }));
  scored.sort((a, b) => a.missing - b.missing || Number(b.hasEnum) - Number(a.hasEnum) || a.required - b.required);
  return scored[0]?.event;
}

/** A value for the README: the field's first example, or one made up from its type. */
export function exampleValue(field: FieldModel): unknown {
  if (field.examples.length > 0) return field.examples[0];
  return madeUpValue(field.type);
}

function madeUpValue(type: FieldType): unknown {
  if (type.type === 'array') return Array.from({ length: Math.max(type.minItems ?? 1, 1) }, () => madeUpValue(type.items));
  switch (type.type) {
    case 'string': {
      if (type.enum) return type.enum[0];
      const byFormat: Record<string, string> = {
        'date-time': '2024-01-01T12:00:00Z',
        date: '2024-01-01',
        uri: 'https://example.com/',
        email: 'someone@example.com',
        uuid: '0190163d-8694-739b-aea5-966c26f8ad91',
      };
      if (type.format) return byFormat[type.format];
      return 'x'.repeat(Math.max(type.minLength ?? 1, 1));
    }
    case 'integer':
    case 'number':
      return type.minimum ?? (type.exclusiveMinimum !== undefined ? Math.floor(type.exclusiveMinimum) + 1 : 1);
    case 'boolean':
      return true;
  }
}
