// @ts-check
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const services = ['users', 'products', 'orders', 'notifications'];

/** A service may import lib/ and contracts/, never another service or the orchestration layers. */
const serviceBoundaries = services.map((name) => ({
  files: [`services/${name}/**/*.ts`],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: services
              .filter((other) => other !== name)
              .flatMap((other) => [`../${other}/**`, `**/services/${other}/**`]),
            message: 'Services never import each other: call them over HTTP.',
          },
          {
            group: ['**/api/**', '**/workflows/**', '**/workers/**', '**/activities/**'],
            message: 'Services do not depend on the gateway or the saga.',
          },
        ],
      },
    ],
  },
}));

/** Files under `folder` may not import (at runtime or as types) from any of `forbidden` (top-level folders). */
const folderBoundary = (folder, forbidden, message) => ({
  files: [`${folder}/**/*.ts`],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      { patterns: [{ regex: `^(\\.\\./)+(${forbidden.join('|')})/`, message }] },
    ],
  },
});

/** The layout table of DEVELOPERS.md, enforced: who may import whom. */
const layerBoundaries = [
  {
    files: ['contracts/**/*.ts'],
    ignores: ['contracts/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!zod$)(?!\\./)', message: 'contracts/ imports only zod and other contracts.' }] },
      ],
    },
  },
  folderBoundary(
    'lib',
    ['api', 'services', 'workflows', 'activities', 'workers'],
    'lib/ is shared by every process: it never imports a process or the saga.',
  ),
  folderBoundary('activities', ['api', 'services', 'workers'], 'Activities reach the services over HTTP only.'),
  folderBoundary(
    'api',
    ['services', 'workflows', 'activities', 'workers'],
    'The gateway talks to services over HTTP and to the saga through Temporal (names in contracts/).',
  ),
  folderBoundary('workers', ['api', 'services'], 'The worker does not depend on the gateway or a service.'),
];

/** No import cycles anywhere (type-only imports are erased when compiled, so they do not count). */
const noImportCycles = {
  files: ['**/*.ts', '**/*.tsx'],
  plugins: { 'import-x': importX },
  settings: {
    'import-x/extensions': ['.ts', '.tsx', '.js'],
    'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    'import-x/resolver-next': [
      createNodeResolver({ extensions: ['.ts', '.tsx', '.js'], extensionAlias: { '.js': ['.ts', '.tsx', '.js'] } }),
    ],
  },
  rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.data/**', '**/drizzle/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  noImportCycles,
  ...serviceBoundaries,
  ...layerBoundaries,
  {
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.test.ts', 'workflows/test-support/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!@temporalio/workflow$)(?!\\./)(?!\\.\\./contracts/)(?!\\.\\./activities/)',
              message: 'Workflow code imports only @temporalio/workflow, contracts/ and activity types.',
            },
            {
              regex: '^\\.\\./activities/',
              allowTypeImports: true,
              message: 'Workflows import activities with `import type` only.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Non-deterministic: use uuid4() from @temporalio/workflow.' },
        { object: 'Date', property: 'now', message: 'Non-deterministic in intent: use workflow time explicitly.' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Workflow code has no process.' },
        { name: 'require', message: 'Workflow code imports only what is allowed.' },
      ],
    },
  },
);
