// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import litA11y from 'eslint-plugin-lit-a11y';
import { defineConfig } from 'eslint/config';

/**
 * Every package's sources, in one glob so a new package cannot fall outside it (type-checked
 * through the root tsconfig). The phantom generator is Node code but gets the same type-aware checks.
 */
const PACKAGE_SOURCES = ['packages/*/src/**/*.ts'];

export default defineConfig(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.cache/**',
      'storybook-static/**',
      'custom-elements.json',
      'test-results/**',
      'bench-results/**',
      'coverage/**',
    ],
  },

  js.configs.recommended,
  tseslint.configs.recommended,

  // Settings for every file.
  {
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // `any` is tolerated (with a warning) in tests, scripts and stories; the libraries below make it an error.
      '@typescript-eslint/no-explicit-any': 'warn',
      'no-console': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },

  // Published libraries: Lit, custom-element and accessibility rules, strict `any`, a few cheap type-aware checks.
  {
    files: PACKAGE_SOURCES,
    ignores: ['packages/phantom/**'],
    extends: [lit.configs['flat/recommended'], wc.configs['flat/recommended'], litA11y.configs.recommended],
    languageOptions: { globals: { ...globals.browser } },
    settings: { wc: { elementBaseClasses: ['LitElement'] } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'lit/lifecycle-super': 'error',
      'lit/no-template-bind': 'error',
      'lit/no-useless-template-literals': 'error',
      'lit/attribute-names': 'error',
      'wc/guard-define-call': 'error',
    },
  },
  {
    files: PACKAGE_SOURCES,
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
    },
  },

  // Node: the phantom generator, repository scripts, test support (Orthanc, proxy), Node unit tests, tool configs.
  {
    files: [
      'packages/phantom/**/*.ts',
      'packages/*/test/**/*.ts',
      'scripts/**/*.{js,mjs,ts}',
      'test/support/**/*.ts',
      '*.{js,mjs,cjs,ts}',
      '.storybook/main.ts',
    ],
    languageOptions: { globals: { ...globals.node } },
  },

  // Browser tests (web-test-runner + mocha + @open-wc/testing), their helpers, stories, the demo portal.
  {
    files: ['test/**/*.ts', 'stories/**/*.ts', 'examples/**/*.{js,ts}', '.storybook/preview.ts'],
    ignores: ['test/support/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['test/**/*.test.ts', 'stories/**/*.ts'],
    ignores: ['test/support/**'],
    languageOptions: { globals: { ...globals.mocha } },
    rules: {
      // chai's `expect(x).to.be.true` is an expression statement.
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
);
