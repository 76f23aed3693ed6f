import type { Config } from 'jest';

const config: Config = {
  ...require('../../jest.preset.js'),
  displayName: 'collector-app',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
};

export default config;
