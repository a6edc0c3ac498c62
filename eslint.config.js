import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// The proxy, the controller and shared code must run under plain Node: no electron imports.
const electronFree = ['src/main/proxy/**', 'src/main/app/**', 'src/shared/**', 'src/main/headless.ts'];

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', 'test-results', 'bench/results'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Tests handle wire payloads of many shapes; `any` keeps their assertions readable.
    files: ['test/**', 'e2e/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: electronFree,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'The proxy runs under plain Node: keep electron in src/main/desktop.',
            },
          ],
          patterns: [
            { group: ['**/desktop/**'], message: 'The proxy must not depend on the desktop shell.' },
          ],
        },
      ],
    },
  },
);
