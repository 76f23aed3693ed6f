import { CodegenError } from './codegen-error';

/** Words of a catalog name: `item_viewed` and `web-frontend` give ["item", "viewed"], ["web", "frontend"]. */
export function words(name: string): string[] {
  return name.split(/[_-]+/).filter(Boolean);
}

const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

export const casing = {
  pascal: (name: string) => words(name).map(capital).join(''),
  camel: (name: string) => words(name).map((word, index) => (index === 0 ? word : capital(word))).join(''),
  snake: (name: string) => words(name).join('_'),
  upperSnake: (name: string) => words(name).join('_').toUpperCase(),
  flat: (name: string) => words(name).join(''),
};

export type Casing = keyof typeof casing;

/** Namers live as long as the process (the registry's too): their memo of cased names stays bounded. */
const MEMO_LIMIT = 50_000;

/**
 * One language's rules for identifiers: a reserved-word set and one escape rule. A name
 * that is reserved, or that starts with a digit after casing, is escaped; two catalog
 * names that end as the same identifier in one scope are an error naming both, never a
 * silent rename.
 */
export class Namer {
  private readonly identifiers: Record<Casing, Map<string, string>> = { pascal: new Map(), camel: new Map(), snake: new Map(), upperSnake: new Map(), flat: new Map() };

  constructor(
    private readonly language: string,
    private readonly reserved: ReadonlySet<string>,
    private readonly escape: (identifier: string) => string,
    private readonly caseSensitive = true,
  ) {}

  identifier(name: string, style: Casing): string {
    // Every event repeats the environment's common fields and shares many others: each name is cased once.
    const memo = this.identifiers[style];
    let identifier = memo.get(name);
    if (identifier === undefined) {
      const cased = casing[style](name);
      const key = this.caseSensitive ? cased : cased.toLowerCase();
      identifier = this.reserved.has(key) || /^[0-9]/.test(cased) ? this.escape(cased) : cased;
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(name, identifier);
    }
    return identifier;
  }

  /** A scope in which identifiers must be unique (a package's types, a class's members...). */
  scope(description: string): NameScope {
    return new NameScope(this.language, description, this.caseSensitive);
  }
}

export class NameScope {
  private readonly claimed = new Map<string, string>();

  constructor(
    private readonly language: string,
    private readonly description: string,
    private readonly caseSensitive: boolean,
  ) {}

  /** Records that `source` (e.g. "field user_id") became `identifier`; throws on a collision. */
  claim(identifier: string, source: string): string {
    const key = this.caseSensitive ? identifier : identifier.toLowerCase();
    const previous = this.claimed.get(key);
    if (previous !== undefined && previous !== source) {
      throw new CodegenError(
        'name_collision',
        `${previous} and ${source} both become ${identifier} in ${this.language} (${this.description}); rename one of them in the catalog`,
      );
    }
    this.claimed.set(key, source);
    return identifier;
  }
}

/** How a langpack's packages are named: from a configurable prefix and the environment name. */
export interface PackageNaming {
  /** e.g. "acme": @acme/tagplan-web-frontend, acme/tagplan-web-frontend, acme-tagplan-web-frontend. */
  prefix: string;
  /** The Go module path base, e.g. "example.com/tagplan": example.com/tagplan/webfrontend. */
  goModuleBase: string;
}

export const DEFAULT_PACKAGE_NAMING: PackageNaming = { prefix: 'acme', goModuleBase: 'example.com/tagplan' };

export interface PackageNames {
  npm: string;
  composer: string;
  /** PHP namespace, e.g. Acme\Tagplan\WebFrontend. */
  phpNamespace: string;
  goModule: string;
  goPackage: string;
  /** The distribution name on PyPI. */
  python: string;
  /** The importable module, e.g. acme_tagplan_web_frontend. */
  pythonModule: string;
}

export function packageNames(environment: string, naming: PackageNaming = DEFAULT_PACKAGE_NAMING): PackageNames {
  const prefix = naming.prefix.toLowerCase();
  if (!/^[a-z][a-z0-9-]*$/.test(prefix)) throw new CodegenError('template', `package prefix "${naming.prefix}" must be lower-case letters, digits and "-"`);
  const base = `tagplan-${environment}`;
  const goPackage = casing.flat(environment);
  return {
    npm: `@${prefix}/${base}`,
    composer: `${prefix}/${base}`,
    phpNamespace: [casing.pascal(prefix), 'Tagplan', casing.pascal(environment)].join('\\'),
    goModule: `${naming.goModuleBase.replace(/\/+$/, '')}/${goPackage}`,
    goPackage,
    python: `${prefix}-${base}`,
    pythonModule: `${casing.snake(prefix)}_${casing.snake(base)}`,
  };
}

/** Words filled into lines of at most `width` characters (a longer word stands alone), for doc comments. */
export function wrapWords(wordList: string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of wordList) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
