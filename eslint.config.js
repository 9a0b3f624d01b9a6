import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      'coverage',
      'src/generated',
      '.autonoma',
      'tests/fixtures',
      'src/agents/starter/files',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Runs in the sandbox under Node, with callbacks evaluated in the page (playwright's evaluate).
    files: ['src/agents/validation/look/*.mjs'],
    languageOptions: {
      globals: {
        fetch: 'readonly',
        AbortSignal: 'readonly',
        setTimeout: 'readonly',
        document: 'readonly',
        NodeFilter: 'readonly',
        HTMLFieldSetElement: 'readonly',
      },
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '../adapters/*',
                '../agents/*',
                '../jobs/*',
                '../../adapters/*',
                '../../agents/*',
                '../../jobs/*',
              ],
              message: 'core imports nothing else from src/',
            },
            {
              group: ['@slack/*', 'discord.js', 'probot', '@octokit/*', 'bullmq', 'express'],
              message: 'core imports no platform SDK',
            },
          ],
        },
      ],
    },
  },
);
