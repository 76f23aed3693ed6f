import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';
import type { InMemoryCatalog } from '@tagplan/catalog';
import { conformanceCatalog, conformanceVectors, demoCatalog } from '@tagplan/codegen-testing';
import { ESCAPING_ENVIRONMENT, escapingCatalog } from './catalogs';
import { FIXTURES, installLangpack, runNodeJson, temporaryDirectory } from './support';

type Surface = Record<string, Record<string, { kind: string; statics?: string[]; members?: string[] }>>;

/**
 * The langpack's JavaScript and its declarations are written side by side by the
 * templates; this holds them to each other. For every module, the values the .d.ts
 * declares (classes with their static and prototype members, functions, constants) must
 * be exactly what the .js exports at run time.
 */
describe('the .d.ts files declare exactly what the .js modules export', () => {
  const cases: [string, () => InMemoryCatalog, string][] = [
    ['the demo web-frontend', demoCatalog, 'web-frontend'],
    ['the conformance catalog', conformanceCatalog, conformanceVectors().environment],
    ['the escaping catalog', escapingCatalog, ESCAPING_ENVIRONMENT],
  ];

  test.each(cases)('%s', async (_label, catalog, environment) => {
    const root = await temporaryDirectory('declarations');
    try {
      const { directory } = await installLangpack(root.path, catalog(), environment);
      const runtime = await runNodeJson<Surface>([path.join(FIXTURES, 'surface.mjs'), directory]);
      const declared: Surface = {};
      for (const module of Object.keys(runtime)) declared[module] = await declaredValues(path.join(directory, 'dist'), module);
      expect(declared).toEqual(runtime);
      expect(Object.keys(runtime)).toContain('index.js');
    } finally {
      await root.remove();
    }
  }, 60_000);
});

/** The value exports a module's .d.ts declares, following re-exports. */
async function declaredValues(dist: string, module: string): Promise<Surface[string]> {
  const file = path.join(dist, module.replace(/\.js$/, '.d.ts'));
  const source = ts.createSourceFile(file, await readFile(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const values: Surface[string] = {};
  const exported = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
  const target = (specifier: ts.Expression) => path.posix.join(path.posix.dirname(module), (specifier as ts.StringLiteral).text.replace(/^\.\//, ''));
  for (const statement of source.statements) {
    if (ts.isClassDeclaration(statement) && exported(statement) && statement.name) {
      const statics: string[] = [];
      const members: string[] = [];
      const isStatic = (member: ts.ClassElement) => ts.canHaveModifiers(member) && (ts.getModifiers(member) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword);
      for (const member of statement.members) {
        if (ts.isConstructorDeclaration(member) || !member.name) continue;
        // Instance fields live on each object, not on the prototype; static fields are own properties of the class.
        if (ts.isPropertyDeclaration(member) && !isStatic(member)) continue;
        (isStatic(member) ? statics : members).push(member.name.getText(source));
      }
      values[statement.name.text] = { kind: 'class', statics: [...new Set(statics)].sort(), members: [...new Set(members)].sort() };
    } else if (ts.isFunctionDeclaration(statement) && exported(statement) && statement.name) {
      values[statement.name.text] = { kind: 'function' };
    } else if (ts.isVariableStatement(statement) && exported(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const type = declaration.type;
        const kind = !type ? 'unknown' : ts.isTypeLiteralNode(type) ? 'object' : ts.isLiteralTypeNode(type) ? (ts.isStringLiteral(type.literal) ? 'string' : 'number') : type.getText(source) === 'Transport' ? 'function' : type.getText(source);
        values[declaration.name.getText(source)] = { kind };
      }
    } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly && statement.moduleSpecifier) {
      const from = await declaredValues(dist, target(statement.moduleSpecifier));
      if (!statement.exportClause) Object.assign(values, from);
      else if (ts.isNamedExports(statement.exportClause)) {
        for (const element of statement.exportClause.elements) {
          if (element.isTypeOnly) continue;
          const original = from[(element.propertyName ?? element.name).text];
          if (original) values[element.name.text] = original;
          else throw new Error(`${module} re-exports ${element.name.text}, which ${target(statement.moduleSpecifier)} does not declare as a value`);
        }
      }
    }
  }
  return Object.fromEntries(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : 1)));
}
