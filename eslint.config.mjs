// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** The engine's pure core: no Electron, no DOM, no React, no Node. */
const engineCoreBans = {
  paths: [
    { name: 'electron', message: 'bad layering: src/engine runs outside Electron.' },
    { name: 'react', message: 'bad layering: src/engine has no UI.' },
    { name: 'react-dom', message: 'bad layering: src/engine has no UI.' },
  ],
  patterns: [
    { group: ['electron/*', 'react/*', 'react-dom/*', 'lightweight-charts', 'ag-grid-*'], message: 'bad layering: src/engine has no UI.' },
    { group: ['node:*', 'fs', 'path', 'zlib', 'worker_threads', 'os', 'child_process', 'better-sqlite3', '@tensorflow/tfjs-node*'], message: 'bad layering: Node-touching code goes in an adapter folder of src/engine (node/).' },
    { group: ['**/main/**', '**/preload/**', '**/renderer/**'], message: 'bad layering: src/engine depends on no host.' },
    { group: ['**/node/*', '**/node/**'], message: 'bad layering: the engine core never imports its Node adapters (src/engine/node); they import the core.' },
    { group: ['**/workflows/*', '**/bench/*'], message: 'bad layering: the engine core never imports a workflow or a bench; they drive the core.' },
  ],
};

/** What the Node side of the engine (node/, workflows/, bench/) may not import: UI and hosts. */
const engineNodeBans = { paths: engineCoreBans.paths, patterns: [engineCoreBans.patterns[0], engineCoreBans.patterns[2]] };

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'dist/**', 'test-results/**', 'playwright-report/**', 'resources/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-globals': 'off',
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    ignores: ['src/engine/node/**', 'src/engine/workflows/**', 'src/engine/bench/**'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', engineCoreBans],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'the engine takes time from an injected Clock.' },
        { object: 'Math', property: 'random', message: 'the engine takes chance from an injected Rng.' },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process', 'require', '__dirname'],
    },
  },
  {
    // The gate never depends on a model, a strategy or a session: it is told what it needs at each check.
    files: ['src/engine/risk/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: engineCoreBans.paths,
          patterns: [
            ...engineCoreBans.patterns,
            { group: ['../kernel/*', '../execution/*', '../learn/*', '../rl/*', '../sim/*', '../agents/*'], message: 'bad layering: risk depends on no model, strategy, simulator or session; they depend on risk.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/engine/**/*.test.ts', 'src/engine/**/*.bench.ts'],
    rules: { 'no-restricted-imports': 'off', 'no-restricted-globals': 'off', 'no-restricted-properties': 'off' },
  },
  {
    // Adapters (files, models, journal, workers) serve workflows and benches, never the other way.
    files: ['src/engine/node/**/*.ts'],
    ignores: ['src/engine/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: engineNodeBans.paths, patterns: [...engineNodeBans.patterns, { group: ['**/workflows/*', '**/bench/*'], message: 'bad layering: node/ adapters never import a workflow or a bench; workflows and benches import them.' }] },
      ],
    },
  },
  {
    files: ['src/engine/workflows/**/*.ts', 'src/engine/bench/**/*.ts'],
    ignores: ['src/engine/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', engineNodeBans] },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': ['error', { patterns: [{ group: ['electron', 'node:*', '**/main/**', '**/engine/node/**', '**/engine/workflows/**', '**/engine/bench/**'], message: 'bad layering: the renderer talks to the engine only through window.cockpit or the browser bridge.' }] }],
    },
  },
);
