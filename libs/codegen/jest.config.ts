import type { Config } from 'jest';

const config: Config = {
  ...require('../../jest.preset.js'),
  displayName: 'codegen',
  rootDir: '.',
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/out/'],
};

export default config;
