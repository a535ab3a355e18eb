// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bin/**', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // Layering: only src/docker talks to Docker/SSH libraries; everything else goes through it.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/docker/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['dockerode', 'docker-modem', 'ssh2'].map((name) => ({ name, message: 'only src/docker may import Docker/SSH libraries' })) }],
    },
  },
  {
    // The compose library is pure: files in, engine specs out. It knows nothing of Docker connections,
    // the store, actions or the UI, so it imports only yaml, ajv and node's own modules.
    files: ['src/compose/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['../*', 'dockerode', 'docker-modem', 'ssh2', 'react', 'ink', 'ink-*', '@napi-rs/*'], message: 'src/compose imports only yaml, ajv-draft-04, node: modules and its own files' }],
      }],
    },
  },
  {
    // Layers point one way: cli → ui → actions → docker → config, docker and actions read the store; the
    // store, config and text know no layer above them. The live layer feeds the store but asks none of
    // its selectors (the views' business).
    files: ['src/**/*.{ts,tsx}'],
    rules: {
      'import-x/no-restricted-paths': ['error', {
        zones: [
          { target: './src/config', from: ['./src/docker', './src/store', './src/actions', './src/ui', './src/cli'], message: 'src/config sits below every other layer: it imports none of them' },
          { target: './src/store', from: ['./src/docker', './src/config', './src/actions', './src/ui', './src/cli'], message: 'src/store is pure: model, reducer and selectors over plain data' },
          { target: './src/text', from: ['./src/docker', './src/config', './src/store', './src/actions', './src/ui', './src/cli'], message: 'src/text is a leaf' },
          { target: './src/docker', from: ['./src/actions', './src/ui', './src/cli', './src/store/selectors'], message: 'src/docker imports config and the store\'s model and messages only' },
          { target: './src/actions', from: ['./src/ui', './src/cli'], message: 'src/actions knows nothing of the UI or the command line' },
          { target: './src/ui', from: ['./src/cli', './src/docker'], message: 'src/ui reaches Docker through src/actions (and the readers it is given)' },
        ],
      }],
    },
  },
  {
    files: ['eslint.config.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
