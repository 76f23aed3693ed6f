import { NameScope, words, wrapWords } from '@tagplan/codegen-core';

/** The Go spec's keywords: never an identifier. */
export const GO_KEYWORDS: ReadonlySet<string> = new Set([
  'break', 'case', 'chan', 'const', 'continue', 'default', 'defer', 'else', 'fallthrough', 'for', 'func', 'go', 'goto', 'if',
  'import', 'interface', 'map', 'package', 'range', 'return', 'select', 'struct', 'switch', 'type', 'var',
]);

/** Predeclared identifiers: legal to shadow, but a parameter named `string` or `len` reads as a trap. */
export const GO_PREDECLARED: ReadonlySet<string> = new Set([
  'any', 'bool', 'byte', 'comparable', 'complex64', 'complex128', 'error', 'float32', 'float64', 'int', 'int8', 'int16', 'int32',
  'int64', 'rune', 'string', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'true', 'false', 'iota', 'nil', 'append',
  'cap', 'clear', 'close', 'complex', 'copy', 'delete', 'imag', 'len', 'make', 'max', 'min', 'new', 'panic', 'print', 'println',
  'real', 'recover',
]);

/** Package names the runtime files import; a parameter must not hide them. */
const GO_IMPORTS = ['bytes', 'context', 'errors', 'fmt', 'gzip', 'http', 'io', 'log', 'math', 'rand', 'regexp', 'sort', 'strconv', 'sync', 'atomic', 'time', 'utf8', 'json'];

/**
 * The exported names of the runtime every langpack carries (client, errors, Validate).
 * An event or enum type must not take one of them.
 */
export const GO_RUNTIME_EXPORTS: readonly string[] = [
  'Batch', 'Client', 'Config', 'DefaultBatchSize', 'DefaultFlushInterval', 'DefaultMaxBatchBytes', 'DefaultMaxRetries',
  'DefaultQueueSize', 'DeliveryError', 'DropError', 'EnvironmentName', 'ErrClosed', 'ErrQueueFull', 'Event', 'HTTPTransport',
  'LangpackVersion', 'NewClient', 'NewHTTPTransport', 'Stats', 'StatusError', 'Transport', 'Validate', 'ValidationError', 'Violation',
];

/**
 * The unexported package-level names of the runtime. Generated helpers are named with a
 * lower-case prefix (check, validate, item, pattern, spec) and a PascalCase name, which
 * none of these has, so they cannot meet; the list lets the package scope prove it.
 */
export const GO_RUNTIME_INTERNALS: readonly string[] = [
  'appendBool', 'appendBools', 'appendFloat', 'appendFloats', 'appendInt', 'appendInts', 'appendJSONString', 'appendStrings',
  'asBool', 'asInteger', 'asNumber', 'asString', 'buffers', 'closeObject', 'dateRegexp', 'dateTimeRegexp', 'digits',
  'duplicateInts', 'duplicates', 'emailRegexp', 'eventSpec', 'fieldSpec', 'finite', 'hexDigit', 'hexDigits', 'hexRun',
  'isCalendarDay', 'isDate', 'kind', 'kindArray', 'kindBoolean', 'kindInteger', 'kindNumber', 'kindString', 'isDateTime', 'isEmail', 'isLeapYear', 'isURI', 'isUUID', 'markItem', 'lazyRegexp',
  'longerThan', 'missingField', 'nilEvent', 'optional', 'positive', 'queuedEvent', 'recycle', 'retryable', 'shorterThan',
  'lookupSpec', 'stackContext', 'typeViolation', 'uriRegexp', 'userAgent', 'uuidRegexp', 'uuidSource', 'violationError',
];

/** Methods every event type has besides its setters and getters. Exported ones clash with getters, unexported with struct fields. */
export const GO_EVENT_METHODS = { exported: ['MarshalJSON'], unexported: ['appendData', 'checkRequired', 'spec'] } as const;

/** Locals of generated constructor bodies, which parameters must not hide. */
const CONSTRUCTOR_LOCALS = ['e', 'err'];

/**
 * Go's usual initialisms (staticcheck ST1003's list): `user_id` is UserID, `page_url`
 * PageURL, as a Go engineer would write them.
 */
export const GO_INITIALISMS: ReadonlySet<string> = new Set([
  'acl', 'api', 'ascii', 'cpu', 'css', 'dns', 'eof', 'guid', 'html', 'http', 'https', 'id', 'ip', 'json', 'qps', 'ram', 'rpc',
  'sla', 'smtp', 'sql', 'ssh', 'tcp', 'tls', 'ttl', 'udp', 'ui', 'gid', 'uid', 'uuid', 'uri', 'url', 'utf8', 'vm', 'xml', 'xmpp',
  'xsrf', 'xss', 'sip', 'rtp', 'amqp', 'db', 'ts',
]);

/** Operating systems and architectures: a file named `x_linux.go` or `x_arm64.go` only builds there. */
const GOOS = [
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl', 'netbsd', 'openbsd', 'plan9',
  'solaris', 'wasip1', 'windows', 'zos',
];
const GOARCH = [
  '386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'loong64', 'mips', 'mipsle', 'mips64', 'mips64le', 'mips64p32',
  'mips64p32le', 'ppc', 'ppc64', 'ppc64le', 'riscv', 'riscv64', 's390', 's390x', 'sparc', 'sparc64', 'wasm',
];
const BUILD_SUFFIXES: ReadonlySet<string> = new Set([...GOOS, ...GOARCH, 'test']);

/** One word in an exported or inner position: an initialism in capitals (`ids` as IDs), otherwise capitalised. */
function capitalWord(word: string): string {
  const lower = word.toLowerCase();
  if (GO_INITIALISMS.has(lower)) return word.toUpperCase();
  if (lower.endsWith('s') && GO_INITIALISMS.has(lower.slice(0, -1))) return `${word.slice(0, -1).toUpperCase()}s`;
  const [first = ''] = word;
  return first.toUpperCase() + word.slice(first.length);
}

/**
 * Go's identifier rules for the langpack: casing with initialisms, one reserved set per
 * kind of scope, and one escape rule — a trailing underscore, as protoc-gen-go does
 * (`type` becomes `type_`, a getter that would be `MarshalJSON` becomes `MarshalJSON_`).
 */
export class GoNamer {
  /** Constructor parameters: keywords, predeclared names, imports and the constructor's locals. */
  readonly parameterReserved: ReadonlySet<string> = new Set([...GO_KEYWORDS, ...GO_PREDECLARED, ...GO_IMPORTS, ...CONSTRUCTOR_LOCALS]);
  /** Unexported struct fields: keywords, predeclared names and the event's own unexported methods. */
  readonly structFieldReserved: ReadonlySet<string> = new Set([...GO_KEYWORDS, ...GO_PREDECLARED, ...GO_EVENT_METHODS.unexported]);
  /** Exported methods of an event type besides its setters and getters. */
  readonly methodReserved: ReadonlySet<string> = new Set(GO_EVENT_METHODS.exported);
  /** A package may not be named after a keyword, and one named main is a program, not a library. */
  readonly packageNameReserved: ReadonlySet<string> = new Set([...GO_KEYWORDS, 'main']);
  /** Exported package-level names taken by the runtime. */
  readonly packageReserved: ReadonlySet<string> = new Set(GO_RUNTIME_EXPORTS);

  private readonly pascalCache = new Map<string, string>();
  private readonly camelCache = new Map<string, string>();

  /** `item_viewed` → ItemViewed, `user_id` → UserID. */
  pascal(name: string): string {
    let cased = this.pascalCache.get(name);
    if (cased === undefined) {
      cased = words(name).map(capitalWord).join('');
      this.pascalCache.set(name, cased);
    }
    return cased;
  }

  /** `user_id` → userID, `url_path` → urlPath. */
  camel(name: string): string {
    let cased = this.camelCache.get(name);
    if (cased === undefined) {
      const [first = '', ...rest] = words(name);
      cased = first.toLowerCase() + rest.map(capitalWord).join('');
      this.camelCache.set(name, cased);
    }
    return cased;
  }

  /** An exported identifier, escaped when reserved in its scope. */
  exported(name: string, reserved: ReadonlySet<string>): string {
    return this.escape(this.pascal(name), reserved);
  }

  /** An unexported identifier, escaped when reserved in its scope. */
  unexported(name: string, reserved: ReadonlySet<string>): string {
    return this.escape(this.camel(name), reserved);
  }

  /**
   * The words of any string (an enum value such as "eu-west-1", "ünï" or "1st") as a
   * PascalCase suffix; letters and decimal digits are kept, everything else separates.
   * Empty when the value has neither.
   */
  valueSuffix(value: string): string {
    return value
      .split(/[^\p{L}\p{Nd}]+/u)
      .filter(Boolean)
      .map(capitalWord)
      .join('');
  }

  escape(identifier: string, reserved: ReadonlySet<string>): string {
    if (/^[0-9]/.test(identifier)) return `X${identifier}`;
    return reserved.has(identifier) ? `${identifier}_` : identifier;
  }

  scope(description: string): NameScope {
    return new NameScope('Go', description, true);
  }

  /**
   * A source file for a catalog name. Go reads `_test`, `_<GOOS>` and `_<GOARCH>` suffixes
   * as build constraints, so such a name gets `_event` appended.
   */
  eventFileName(name: string): string {
    const parts = name.split('_');
    const last = parts[parts.length - 1] ?? '';
    const beforeLast = parts[parts.length - 2] ?? '';
    const constrained = BUILD_SUFFIXES.has(last) || (GOOS.includes(beforeLast) && GOARCH.includes(last));
    return `event_${name}${constrained ? '_event' : ''}.go`;
  }
}

/**
 * A Go interpreted string literal for any text: quotes, backslashes and control
 * characters escaped; a BOM (which Go refuses inside a file) and lone surrogates (which
 * UTF-8 cannot carry) escaped or replaced.
 */
export function goString(text: string): string {
  if (!/["\\\x00-\x1f\x7f\ufeff\u2028\u2029\ud800-\udfff]/.test(text)) return `"${text}"`;
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (char === '"') out += '\\"';
    else if (char === '\\') out += '\\\\';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code === 0xfeff || code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16)}`;
    else if (code >= 0xd800 && code <= 0xdfff) out += '\\ufffd';
    else out += char;
  }
  return `${out}"`;
}

/** A raw string literal when the text allows one (readable regexes), otherwise an interpreted one. */
export function goRawString(text: string): string {
  return /^[^`\r\x00\ufeff\ud800-\udfff]*$/.test(text) && !/[\x00-\x08\x0b-\x1f\x7f]/.test(text) ? `\`${text}\`` : goString(text);
}

/** A JavaScript number as a Go constant: the shortest form that reads back as the same double. */
export function goNumber(value: number): string {
  return String(value);
}

/**
 * Text for `//` comments, wrapped at `width`, as one paragraph: gofmt rewrites doc
 * comments (Go 1.19), and a catalog description on a paragraph of its own could read to
 * it as an old-style heading. Unindented lines are never lists or code blocks, so
 * nothing else in free text can change under gofmt.
 */
export function commentLines(text: string, width = 76): string[] {
  if (text.length <= width && !/[\x00-\x1f\x7f\ufeff\u2028\u2029]|\s\s|^\s|\s$/.test(text)) return text === '' ? [] : [text];
  const flat = text.replace(/[\x00-\x1f\x7f\ufeff\u2028\u2029]/g, ' ').split(/\s+/).filter(Boolean);
  return wrapWords(flat, width);
}
