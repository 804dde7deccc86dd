// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      'data/',
      'bin/',
      '.tmp/',
      'eslint.config.js',
      '.dependency-cruiser.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/rules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'crypto'], message: 'rules/ is pure: no I/O.' },
            {
              group: ['**/store/**', '**/bot/**', '**/services/**', '**/tab/**', '**/cli/**'],
              message: 'rules/ never imports upward.',
            },
            { group: ['better-sqlite3', 'kysely', 'pg', 'botbuilder', 'pino'], message: 'rules/ is pure.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/understanding/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'crypto'], message: 'understanding/ is pure: no I/O.' },
            {
              group: [
                '**/store/**',
                '**/bot/**',
                '**/services/**',
                '**/tab/**',
                '**/cli/**',
                '**/cards/**',
                '**/web/**',
              ],
              message: 'understanding/ never imports upward; it may import from rules/.',
            },
            {
              group: ['better-sqlite3', 'kysely', 'pg', 'botbuilder', 'botbuilder-*', 'pino', 'restify'],
              message: 'understanding/ is pure.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='Date'][property.name='now']",
          message: 'understanding/ has no clock: today is passed in.',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'understanding/ has no clock: today is passed in.',
        },
      ],
    },
  },
  {
    // One door to the data (docs/decisions/0008-one-door-to-the-data.md); also checked as a graph
    // by dependency-cruiser (.dependency-cruiser.cjs).
    files: ['src/bot/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/store/*', '!**/store/conversations.js', '!**/store/outbox.js'],
              message:
                'bot/ reaches data through services (src/services/); only its messenger keeps conversation references and sends the outbox.',
            },
            {
              group: ['**/web/**'],
              message: 'bot/ does not use the tab API: share through a module below both.',
            },
            { group: ['kysely', 'better-sqlite3', 'pg'], message: 'bot/ holds no database: ask a service.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/web/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/store/**'], message: 'web/ reaches data through services (src/services/).' },
            {
              group: ['**/bot/**'],
              message: 'web/ does not use the bot: share through a module below both.',
            },
            { group: ['kysely', 'better-sqlite3', 'pg'], message: 'web/ holds no database: ask a service.' },
          ],
        },
      ],
    },
  },
  prettier,
);
