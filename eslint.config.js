// Lint: TypeScript recommended rules plus the layering rules of docs/engineering.md, so the architecture
// cannot erode by accident: contract ← native ← host/analysis/network/cli ← main; renderer → contract only.
import tseslint from 'typescript-eslint';

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
          patterns: [
            { regex: '^node:', message: 'The contract is shared with the UI: no Node built-ins.' },
            { regex: '^\\.\\./', message: 'The contract depends on nothing else in the project.' },
          ],
        },
      ],
    },
  },
  {
    files: ['native/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInMain],
          patterns: [
            {
              regex: '(^|/)electron/(?!contract/|base/)',
              message: 'native/ sits below the host: it may use the contract and base, nothing else under electron/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
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
          patterns: [
            { regex: '^node:', message: 'The UI runs in a browser: no Node built-ins.' },
            {
              regex: '(^|/)(native|electron/(?!contract/))',
              message: 'The UI imports only electron/contract from the rest of the project.',
            },
          ],
        },
      ],
    },
  },
);
