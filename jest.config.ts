import type { Config } from 'jest';

/** `npm test` runs every project's specs (unit, beside the code) and integration tests (test/). */
const config: Config = {
  projects: ['<rootDir>/libs/*/jest.config.ts', '<rootDir>/apps/*/jest.config.ts'],
};

export default config;
