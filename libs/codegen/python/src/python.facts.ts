import { Namer, type FieldType, type ScalarType } from '@tagplan/codegen-core';

/** What Python (3.9 to 3.13) reserves: keywords, soft keywords and builtins. */
const KEYWORDS = [
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else',
  'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise',
  'return', 'try', 'while', 'with', 'yield', 'match', 'case', 'type', '_',
];

/**
 * Builtins are escaped too: a property named `str`, `property` or `list` would shadow
 * the builtin in the rest of its class body (where the annotations and decorators of
 * the next members are looked up), and a parameter named `id` or `format` would shadow
 * it in the constructor. Escaping every builtin keeps the rule simple and lint-clean.
 */
const BUILTINS = [
  'ArithmeticError', 'AssertionError', 'AttributeError', 'BaseException', 'BaseExceptionGroup', 'BlockingIOError', 'BrokenPipeError',
  'BufferError', 'BytesWarning', 'ChildProcessError', 'ConnectionAbortedError', 'ConnectionError', 'ConnectionRefusedError',
  'ConnectionResetError', 'DeprecationWarning', 'EOFError', 'Ellipsis', 'EncodingWarning', 'EnvironmentError', 'Exception',
  'ExceptionGroup', 'FileExistsError', 'FileNotFoundError', 'FloatingPointError', 'FutureWarning', 'GeneratorExit', 'IOError',
  'ImportError', 'ImportWarning', 'IndentationError', 'IndexError', 'InterruptedError', 'IsADirectoryError', 'KeyError',
  'KeyboardInterrupt', 'LookupError', 'MemoryError', 'ModuleNotFoundError', 'NameError', 'NotADirectoryError', 'NotImplemented',
  'NotImplementedError', 'OSError', 'OverflowError', 'PendingDeprecationWarning', 'PermissionError', 'ProcessLookupError',
  'PythonFinalizationError', 'RecursionError', 'ReferenceError', 'ResourceWarning', 'RuntimeError', 'RuntimeWarning',
  'StopAsyncIteration', 'StopIteration', 'SyntaxError', 'SyntaxWarning', 'SystemError', 'SystemExit', 'TabError', 'TimeoutError',
  'TypeError', 'UnboundLocalError', 'UnicodeDecodeError', 'UnicodeEncodeError', 'UnicodeError', 'UnicodeTranslateError',
  'UnicodeWarning', 'UserWarning', 'ValueError', 'Warning', 'ZeroDivisionError', 'abs', 'aiter', 'all', 'anext', 'any', 'ascii',
  'bin', 'bool', 'breakpoint', 'bytearray', 'bytes', 'callable', 'chr', 'classmethod', 'compile', 'complex', 'copyright',
  'credits', 'delattr', 'dict', 'dir', 'divmod', 'enumerate', 'eval', 'exec', 'exit', 'filter', 'float', 'format', 'frozenset',
  'getattr', 'globals', 'hasattr', 'hash', 'help', 'hex', 'id', 'input', 'int', 'isinstance', 'issubclass', 'iter', 'len',
  'license', 'list', 'locals', 'map', 'max', 'memoryview', 'min', 'next', 'object', 'oct', 'open', 'ord', 'pow', 'print',
  'property', 'quit', 'range', 'repr', 'reversed', 'round', 'set', 'setattr', 'slice', 'sorted', 'staticmethod', 'str', 'sum',
  'super', 'tuple', 'type', 'vars', 'zip',
];

/**
 * Names the generated package itself defines or imports where catalog names land: the
 * typing names and rule classes events.py imports, the package's exports, the members
 * of the Event base class, and `self`/`cls`.
 */
export const PACKAGE_NAMES = [
  // typing, as imported by events.py
  'Any', 'ClassVar', 'Dict', 'Final', 'List', 'Literal', 'Mapping', 'Optional', 'Sequence', 'Tuple', 'Type',
  // validation.py
  'ArrayRule', 'BooleanRule', 'EventSchema', 'FieldRule', 'IntegerRule', 'NumberRule', 'StringRule', 'TagplanError',
  'TagplanValidationError', 'Violation',
  // client.py
  'Client', 'DeliveryError', 'DeliveryReason', 'Response', 'Transport', 'LANGPACK', 'LANGPACK_VERSION', 'uuid7', 'urllib_transport',
  // events.py
  'Event', 'EVENT_TYPES', 'validate_event',
  // members of Event
  'to_data', 'EVENT_NAME', 'EVENT_VERSION', 'SCHEMA',
  'self', 'cls',
];

export const PYTHON_RESERVED: ReadonlySet<string> = new Set([...KEYWORDS, ...BUILTINS, ...PACKAGE_NAMES]);

/** PEP 8: "a single trailing underscore ... to avoid conflicts", e.g. `class_`, `id_`. */
export const escapePython = (identifier: string): string => `${identifier}_`;

export function pythonNamer(): Namer {
  return new Namer('Python', PYTHON_RESERVED, escapePython);
}

/** The line length generated code is wrapped to (Black's default). */
export const LINE_LENGTH = 88;

/** The Python type of a scalar value (before Literal types for enums). */
export function scalarPythonType(type: ScalarType): string {
  switch (type.type) {
    case 'string':
      return 'str';
    case 'integer':
      return 'int';
    case 'number':
      return 'float';
    case 'boolean':
      return 'bool';
  }
}

export function isArray(type: FieldType): type is Extract<FieldType, { type: 'array' }> {
  return type.type === 'array';
}

// Printable ASCII without quotes or backslashes: the common case, quoted as it is.
const SIMPLE = /^[ !#-[\]-~]*$/;
// Printable ASCII without double quotes: a raw string holds it as it is (unless it ends in an odd backslash).
const RAW_SAFE = /^[ !#-~]*$/;
// Printable characters a Python source file can hold as they are; everything else is escaped.
const PLAIN = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** A Python string literal: double-quoted, escaped, valid UTF-8 source. */
export function pyString(value: string): string {
  if (SIMPLE.test(value)) return `"${value}"`;
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0) as number;
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x80 ? code >= 0x20 && code < 0x7f : PLAIN.test(char) && !(code >= 0xd800 && code <= 0xdfff)) out += char;
    else if (code <= 0xff) out += `\\x${hex(code, 2)}`;
    else if (code <= 0xffff) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return `${out}"`;
}

/**
 * A regular expression as a string literal: a raw string when that is possible (no
 * quote, no character that needs escaping, no trailing backslash), as people write them.
 */
export function pyRegex(pattern: string): string {
  if (RAW_SAFE.test(pattern) && !/(^|[^\\])(\\\\)*\\$/.test(pattern)) return `r"${pattern}"`;
  const escaped = pyString(pattern);
  const raw = `r"${pattern}"`;
  const rawPossible = !pattern.includes('"') && !/\\$/.test(pattern.replace(/\\\\/g, '')) && escaped.replace(/\\\\/g, '\\') === `"${pattern}"`;
  return rawPossible ? raw : escaped;
}

/** A Python number literal that compares exactly as the JSON Schema bound does. */
export function pyNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) return String(value === 0 ? 0 : value);
  const text = String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/** A JSON value (a catalog example) as a Python literal. */
export function pyLiteral(value: unknown): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return pyNumber(value);
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) return `[${value.map(pyLiteral).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([key, item]) => `${pyString(key)}: ${pyLiteral(item)}`)
    .join(', ')}}`;
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}
