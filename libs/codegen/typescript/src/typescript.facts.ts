import { CodegenError, Namer, NameScope, words } from '@tagplan/codegen-core';

/**
 * TypeScript's identifier facts for langpacks. Catalog names reach the generated code in
 * three roles, each with its own reserved set:
 * - bindings (event classes, their Init/Data types, enum objects): exported from the
 *   package index, so they must avoid keywords, the globals and utility types a module or
 *   its users rely on, and the runtime's own exports;
 * - members (getters and the keys of an event's Init object): any IdentifierName is legal
 *   as a property (`event.class`, `{ default: 1 }`), except the names a class or a plain
 *   object already has — `constructor`, Object.prototype's methods, TagplanEvent's API;
 * - enum members (keys of an enum object), made from free-form values.
 * One escape rule for all: a trailing underscore, or a leading one when the name starts
 * with a digit (as protoc-gen-es does).
 */
export const LANGPACK_LANGUAGE = 'typescript';

export const JS_KEYWORDS: readonly string[] = [
  'abstract', 'any', 'arguments', 'as', 'async', 'await', 'boolean', 'break', 'case', 'catch', 'class', 'const', 'constructor',
  'continue', 'debugger', 'declare', 'default', 'delete', 'do', 'else', 'enum', 'eval', 'export', 'extends', 'false', 'finally',
  'for', 'from', 'function', 'get', 'if', 'implements', 'import', 'in', 'infer', 'instanceof', 'interface', 'is', 'keyof', 'let',
  'module', 'namespace', 'never', 'new', 'null', 'number', 'object', 'of', 'package', 'private', 'protected', 'public', 'readonly',
  'require', 'return', 'satisfies', 'set', 'static', 'string', 'super', 'switch', 'symbol', 'this', 'throw', 'true', 'try', 'type',
  'typeof', 'undefined', 'unique', 'unknown', 'var', 'void', 'while', 'with', 'yield',
];

/** Globals and built-in types an exported name must not shadow for the langpack's modules or their importers. */
export const JS_GLOBALS: readonly string[] = [
  'AbortController', 'AbortSignal', 'Array', 'ArrayBuffer', 'ArrayLike', 'Awaited', 'BigInt', 'Blob', 'Boolean', 'Capitalize',
  'CompressionStream', 'ConstructorParameters', 'Crypto', 'DataView', 'Date', 'Document', 'Element', 'Error', 'EvalError',
  'Event', 'EventTarget', 'Exclude', 'Extract', 'Function', 'Headers', 'Infinity', 'InstanceType', 'Intl', 'Iterable',
  'IterableIterator', 'Iterator', 'JSON', 'Lowercase', 'Map', 'Math', 'NaN', 'Navigator', 'NonNullable', 'Number', 'Object',
  'Omit', 'Parameters', 'Partial', 'Performance', 'Pick', 'Promise', 'PromiseLike', 'PropertyKey', 'Proxy', 'RangeError',
  'Readonly', 'ReadonlyArray', 'ReadonlyMap', 'ReadonlySet', 'Record', 'ReferenceError', 'Reflect', 'RegExp', 'Request',
  'Required', 'Response', 'ReturnType', 'Set', 'String', 'Symbol', 'SyntaxError', 'TextDecoder', 'TextEncoder', 'ThisType',
  'TypeError', 'URIError', 'URL', 'URLSearchParams', 'Uint8Array', 'Uncapitalize', 'Uppercase', 'WeakMap', 'WeakRef', 'WeakSet',
  'Window',
];

/** What the langpack's runtime exports from its index (see templates/typescript). An event or enum must not take one. */
export const RUNTIME_EXPORTS: readonly string[] = [
  'ClientOptions', 'ClientStats', 'DeliveryErrorCode', 'ENVIRONMENT', 'ENVIRONMENT_VERSION', 'EventSchema', 'LANGPACK',
  'LANGPACK_VERSION', 'TagplanClient', 'TagplanDeliveryError', 'TagplanEvent', 'TagplanValidationError', 'Transport',
  'TransportRequest', 'TransportResponse', 'Violation', 'ViolationRule', 'WireBatch', 'WireEvent', 'fetchTransport',
  'validateEvent',
];

/**
 * Member names an event class or its Init object already has: a getter cannot be named
 * `constructor`, and `init.toString` is always defined, so an optional field by that name
 * would look set. TagplanEvent's public API is listed too.
 */
export const EVENT_MEMBERS: readonly string[] = [
  '__proto__', 'constructor', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', 'toString', 'valueOf',
  'eventName', 'eventVersion', 'toData', 'toJSON',
];

function escapeIdentifier(identifier: string): string {
  return /^[0-9]/.test(identifier) ? `_${identifier}` : `${identifier}_`;
}

export const bindingNamer = new Namer('TypeScript', new Set([...JS_KEYWORDS, ...JS_GLOBALS, ...RUNTIME_EXPORTS]), escapeIdentifier);
export const memberNamer = new Namer('TypeScript', new Set(EVENT_MEMBERS), escapeIdentifier);

/** A derived binding (`ItemViewedInit`), checked against the same reserved set as the class name. */
export function bindingName(identifier: string): string {
  return bindingNamer.identifier(identifier, 'pascal');
}

/** `item_viewed` → `item-viewed`: the event's module file. */
export function moduleName(name: string): string {
  return words(name).join('-');
}

const ID_START = /^[\p{ID_Start}$]/u;

/**
 * An enum value as a member of its enum object: the value's letters and digits in
 * PascalCase words (`price_low_to_high` → PriceLowToHigh, `eu-west-1` → EuWest1, `GET`
 * stays GET), escaped when it cannot start an identifier (`1st` → _1st).
 */
export function enumMemberName(value: string): string {
  const parts = value.split(/[^\p{ID_Continue}]+|_+/u).filter(Boolean);
  const cased = parts.map((part) => {
    const first = String.fromCodePoint(part.codePointAt(0) as number);
    return first.toUpperCase() + part.slice(first.length);
  });
  const identifier = cased.join('');
  if (identifier === '') return 'Empty';
  return ID_START.test(identifier) ? identifier : escapeIdentifier(identifier);
}

/** A scope of the package where two catalog names must not end as one identifier. */
export function scope(description: string): NameScope {
  return bindingNamer.scope(description);
}

const PLAIN_TEXT = /^[^'\\\x00-\x1f\x7f\u2028\u2029\ud800-\udfff]*$/;

/** A JavaScript string literal in single quotes, with every character a parser or an editor could trip on escaped. */
export function quote(text: string): string {
  if (PLAIN_TEXT.test(text)) return `'${text}'`;
  const json = JSON.stringify(text)
    .slice(1, -1)
    .replace(/\\"/g, '"')
    .replace(/'/g, "\\'")
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `'${json}'`;
}

/** A number as a JavaScript literal; the catalog only holds finite numbers. */
export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new CodegenError('template', `${value} cannot be written as a JavaScript number`);
  return Object.is(value, -0) ? '0' : String(value);
}

/**
 * A plain value (string, number, boolean, array, object with identifier keys) as a
 * JavaScript literal: on one line when it fits `width`, else broken one entry per line.
 */
export function literal(value: unknown, indent = '', width = 100): string {
  const flat = flatLiteral(value);
  if (indent.length + flat.length <= width || typeof value !== 'object' || value === null) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    return `[\n${value.map((item) => `${inner}${literal(item, inner, width)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, entry]) => entry !== undefined);
  return `{\n${entries.map(([key, entry]) => `${inner}${propertyKey(key)}: ${literal(entry, inner, width)},`).join('\n')}\n${indent}}`;
}

function flatLiteral(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return numberLiteral(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(flatLiteral).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, entry]) => entry !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([key, entry]) => `${propertyKey(key)}: ${flatLiteral(entry)}`).join(', ')} }`;
  }
  throw new CodegenError('template', `cannot write ${String(value)} as a JavaScript literal`);
}

/** An object key: bare when it is an identifier name, quoted otherwise. */
export function propertyKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : quote(key);
}

/**
 * A description as the lines of a doc comment: paragraphs kept, words wrapped at `width`,
 * and `*\/` defused so the text cannot close the comment.
 */
export function docLines(text: string, width = 96): string[] {
  const safe = (text.includes('*/') ? text.replace(/\*\//g, '*\\/') : text).trim();
  if (safe === '') return [];
  const lines: string[] = [];
  const paragraphs = safe.includes('\n') ? safe.split(/\n\s*\n/) : [safe];
  paragraphs.forEach((paragraph, index) => {
    if (index > 0) lines.push('');
    const flat = /\s\s|[^\S ]/.test(paragraph) ? paragraph.replace(/\s+/g, ' ').trim() : paragraph;
    // Greedy: each line takes as many words as fit; a longer word stands on its own line.
    let start = 0;
    while (flat.length - start > width) {
      let cut = flat.lastIndexOf(' ', start + width);
      if (cut <= start) cut = flat.indexOf(' ', start + width);
      if (cut === -1) break;
      lines.push(flat.slice(start, cut));
      start = cut + 1;
    }
    lines.push(flat.slice(start));
  });
  return lines;
}

/** Lines as a doc comment at the given indentation; '' when there is nothing to say. */
export function docComment(lines: readonly string[], indent = ''): string {
  if (lines.length === 0) return '';
  if (lines.length === 1 && (lines[0] as string).length + indent.length <= 94) return `${indent}/** ${lines[0] as string} */`;
  return [`${indent}/**`, ...lines.map((line) => (line === '' ? `${indent} *` : `${indent} * ${line}`)), `${indent} */`].join('\n');
}
