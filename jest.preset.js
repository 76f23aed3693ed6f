// Shared by every project's jest.config.ts: swc transforms TypeScript with decorator
// metadata, and the @tagplan/* aliases resolve to the libs' sources.
const path = require('node:path');

const root = __dirname;
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@tagplan/catalog$': path.join(root, 'libs/catalog/src/index.ts'),
    '^@tagplan/json-schema$': path.join(root, 'libs/json-schema/src/index.ts'),
    '^@tagplan/registry-client$': path.join(root, 'libs/registry-client/src/index.ts'),
    '^@tagplan/registry$': path.join(root, 'apps/registry/src/index.ts'),
    '^@tagplan/migrations$': path.join(root, 'migrations/index.ts'),
    '^@tagplan/codegen-conformance$': path.join(root, 'libs/codegen/conformance/conformance-fixtures.ts'),
    '^@tagplan/collector$': path.join(root, 'libs/collector/src/index.ts'),
    '^@tagplan/collector-app$': path.join(root, 'apps/collector/src/index.ts'),
    '^@tagplan/sinks$': path.join(root, 'libs/sinks/src/index.ts'),
    '^@tagplan/langpacks$': path.join(root, 'libs/codegen/langpacks/src/index.ts'),
    '^@tagplan/codegen-(core|testing|typescript|go|php|python|packaging)$': path.join(root, 'libs/codegen/$1/src/index.ts'),
  },
};
