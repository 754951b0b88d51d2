// Lint: ESLint's and typescript-eslint's recommended rules over every TypeScript file, with the
// few project conventions below. `npm run lint` (CI runs it).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'var/', 'node_modules/', 'scratch/', 'tests/bench/results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      // `_name` marks a deliberately unused binding (a destructured field left out, an unused parameter).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' }],
      // Types only: imports of types are marked so, as verbatimModuleSyntax requires.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // A binding assigned once, late, but read earlier by a closure (a shutdown handler) stays let.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
);
