// Lint rules: typescript-eslint's strict type-checked set, plus the layer rules of the house style
// (core/ imports nothing above it; controllers/ and agent/ are API clients and never touch etcd).
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const layer = (files, forbidden, why) => ({
  files,
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      { patterns: [{ group: forbidden, message: why }] },
    ],
  },
});

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', 'scripts/**', '**/*.cjs', 'eslint.config.js'] },
  eslint.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
      'max-params': ['error', 4],
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
    },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // client-node's models are classes; tests build them as plain literals, as users do
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      // tests read JSON bodies as the type they expect
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
      'max-lines': 'off',
    },
  },
  layer(
    ['core/**'],
    ['**/api/**', '**/controllers/**', '**/agent/**', 'express', 'etcd3'],
    'core/ depends on no upper layer, nor on etcd or express.',
  ),
  layer(
    ['controllers/**'],
    ['**/api/**', '**/agent/**', 'etcd3'],
    'controllers reach the API over HTTP via core/client.',
  ),
  layer(
    ['agent/**'],
    ['**/api/**', '**/controllers/**', 'etcd3'],
    'the agent reaches the API over HTTP via core/client.',
  ),
  layer(
    ['sdk/**', 'examples/**'],
    ['**/api/**', '**/controllers/**', '**/agent/**', '**/cli/**', 'etcd3', 'express'],
    'frameworks are API clients: the SDK builds on core/ only, the examples on sdk/ and core/.',
  ),
  layer(
    ['api/**'],
    ['**/controllers/**', '**/agent/**'],
    'the API server depends on nothing above it.',
  ),
  prettier,
);
