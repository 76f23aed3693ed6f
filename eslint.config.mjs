import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * Lint keeps the architecture: apps import libs, libs import libs, libs/catalog imports
 * nothing of ours, and only the CLI may start the registry (`tagplan serve`).
 * Nx project tags (project.json) say what each project is.
 */
export default [
  { ignores: ['**/node_modules/**', 'generated/**', 'templates/**', '**/fixtures/**', '.tagplan/**', '**/dist/**'] },
  {
    // Production code only: tests and benchmarks may reach across projects for their harnesses.
    files: ['apps/*/src/**/*.ts', 'libs/**/src/**/*.ts', 'migrations/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          // `tagplan serve` starts the registry and the collector in its own process: the only imports of apps.
          allow: ['@tagplan/registry', '@tagplan/collector-app'],
          banTransitiveDependencies: false,
          depConstraints: [
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:domain', 'type:lib'] },
            { sourceTag: 'type:migrations', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:server', onlyDependOnLibsWithTags: ['type:domain', 'type:lib', 'type:migrations'] },
            { sourceTag: 'type:cli', onlyDependOnLibsWithTags: ['type:domain', 'type:lib', 'type:server'] },
          ],
        },
      ],
    },
  },
];
