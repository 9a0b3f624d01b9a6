/** Jest under native ESM (see shared NOTES): ts-jest with isolatedModules, `.js` stripped from relative imports. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/tests/**/*.test.ts'],
  // The starter app's own tests run under vitest in the app, never here.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/src/agents/starter/files/'],
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
  testTimeout: 60000,
  maxWorkers: 2,
};
