import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      include: ['tests/**/*.test.{ts,tsx}'],
      // API tests run in Node; UI tests opt into happy-dom with a `@vitest-environment` comment.
      environment: 'node',
      // Worker threads start faster than the default child processes (sql.js runs fine in them).
      pool: 'threads',
      setupFiles: ['tests/setup.ts'],
      env: { DATABASE_FILE: ':memory:' },
    },
  }),
);
