// @ts-check
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['data/', 'dist/', 'public/', 'test-output/', 'test/fixtures/'] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js', '.mocharc.cjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Fire-and-forget calls (hub pings, background re-renders, signal handlers) are marked with `void` on purpose.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      '@typescript-eslint/no-misused-promises': 'error',
      // Ports, byte counts and timings go into URLs, messages and report tables on every other line: a number has
      // one obvious text form, unlike undefined, null or an object, which stay forbidden.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowAny: false, allowBoolean: false, allowNullish: false, allowRegExp: false },
      ],
      // `(x) => resolve(x)` and `return next(error)` are the Promise and Express idioms; a void value is never used.
      '@typescript-eslint/no-confusing-void-expression': [
        'error',
        { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true },
      ],
      // The store's interface is async while better-sqlite3 is synchronous: `async` is how its methods meet the
      // interface and turn throws into rejections, not a missing `await`.
      '@typescript-eslint/require-await': 'off',
      // The service logs JSON lines through pino and the bench writes its report to stdout: console is a slip.
      'no-console': 'error',
    },
  },
  {
    // Mocha loads its settings file as CommonJS in Node.
    files: ['.mocharc.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { process: 'readonly' } },
  },
  {
    files: ['test/**'],
    rules: {
      // Tests read untyped JSON, XML and supertest bodies and the assertions are the type check: casting each body
      // to a shape first would add unchecked claims, not safety.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Fixtures are built by the test itself (noUncheckedIndexedAccess types `fixture[0]` as maybe-undefined): `!`
      // says "the test just made it", and a wrong guess fails the test at once.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  prettier,
);
