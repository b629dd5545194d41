// Lint: TypeScript recommended rules plus the layering of docs/engineering.md, so the architecture cannot erode by
// accident: which layer may import which is one table (scripts/lint/layers.js), checked for every pair; the rules
// below add what each layer may take from outside the project (Node built-ins, electron, server packages).
import tseslint from 'typescript-eslint';
import { casebenchPlugin } from './scripts/lint/layers.js';

const electronOnlyInMain = {
  name: 'electron',
  message: 'Only electron/main and electron/preload may import electron; the host must run in plain Node.',
};
const nodeServerPackages = ['better-sqlite3', 'serialport', 'usb', 'ws'].map((name) => ({
  name,
  message: 'Hardware, storage and servers live in the host, not in the UI.',
}));

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'bench/results/**', 'test-results/**', 'build/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    plugins: { casebench: casebenchPlugin },
    rules: { 'casebench/layers': 'error' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: 'TSEnumDeclaration',
          message: 'Enums are not erasable syntax; use a const array and a union type.',
        },
      ],
    },
  },
  {
    files: ['electron/contract/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInMain],
          patterns: [{ regex: '^node:', message: 'The contract is shared with the UI: no Node built-ins.' }],
        },
      ],
    },
  },
  {
    files: [
      'native/**',
      'electron/base/**',
      'electron/host/**',
      'electron/analysis/**',
      'electron/network/**',
      'electron/cli/**',
      'tests/**',
      'bench/**',
      'scripts/**',
    ],
    rules: { 'no-restricted-imports': ['error', { paths: [electronOnlyInMain] }] },
  },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The UI reaches the station only through the contract.' },
            ...nodeServerPackages,
          ],
          patterns: [{ regex: '^node:', message: 'The UI runs in a browser: no Node built-ins.' }],
        },
      ],
    },
  },
);
