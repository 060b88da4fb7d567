// typescript-eslint's type-checked recommendations over the whole tree; prettier owns formatting.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-demo/**',
      'dist-viewer/**',
      '.data/**',
      'node_modules/**',
      'client/src/schema.ts',
      'client/dist/**',
      'bench/results/**',
      'coverage/**',
      '.tap/**'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
    },
    rules: {
      // Fastify plugins and handlers are async by contract, with or without an await inside.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
    }
  },
  {
    // Tests poke at untyped JSON bodies and SDK internals on purpose.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // tap awaits every subtest (`t.test`) itself; `async (t) => {}` callbacks need no await inside.
      '@typescript-eslint/no-floating-promises': 'off',
      // Response bodies are untyped JSON that the assertions themselves check.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off'
    }
  },
  {
    // The bench drives child processes over IPC with loosely typed messages.
    files: ['bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/restrict-template-expressions': 'off' }
  },
  {
    // The web viewer: React's rules of hooks, and the React Compiler's checks, on top of the type-checked rules.
    files: ['viewer/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked }
)
