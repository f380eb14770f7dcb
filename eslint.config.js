// Lint keeps each file in its process (Signal Desktop's habit): domain code imports neither
// Electron nor Node's file system nor the DOM; the renderer imports no Node and no service;
// only electron/main.ts and electron/preload.ts import `electron`. The server (server/) shares only
// the pure core and the sync protocol with the point; the protocol (protocol/) is shared by both.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'net', 'stream', 'util'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'dist-electron/**', 'release/**', 'test-results/**', '.bench/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['electron/**/*.ts', 'migrations/**/*.ts'],
    ignores: ['electron/app/main.ts', 'electron/app/preload.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only electron/main.ts and electron/preload.ts import electron.' }] }],
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'node:fs', 'fs', 'node:fs/promises', 'react'].map((name) => ({ name, message: 'core is pure domain code.' })),
          patterns: [{ group: ['../*', '!./*'], message: 'core imports nothing of ours but core.' }],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage'],
    },
  },
  {
    // SMS messages and files: pure like core (the point, the CLI and the server share it), no database.
    files: ['electron/sms/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'react'].map((name) => ({ name, message: 'sms is pure domain code.' })),
          patterns: [
            { group: nodeBuiltins, message: 'sms is pure domain code: no Node module (the caller reads and writes files).' },
            { group: ['better-sqlite3', 'kysely', 'pg'], message: 'sms builds rows from plain records: the caller queries the database.' },
            { group: ['../*', '!../core', '!../core/*'], message: 'sms imports nothing of ours but sms and core.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage'],
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to main only through the IPC contract.' }],
          patterns: [
            { group: nodeBuiltins, message: 'The renderer imports no Node module.' },
            {
              regex: '(^|/)electron/(?!ipc/contract\\.ts$|core/)',
              message: 'The renderer imports only the IPC contract and pure core code.',
            },
            { group: ['better-sqlite3', 'kysely', 'serialport', 'node-hid', 'usb', '@napi-rs/canvas'], message: 'Devices and the database live in main.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts', 'src/**/*.ts', 'src/**/*.tsx', 'migrations/**/*.ts'],
    // A rule of its own: the blocks above already configure no-restricted-imports for these files.
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportDeclaration[source.value=/(^|\\/)server\\//]', message: 'The point never imports the server; both share protocol/ and electron/core/.' },
      ],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'react', 'better-sqlite3'].map((name) => ({ name, message: 'The server runs on PostgreSQL under plain Node.' })),
          patterns: [
            { regex: '(^|/)electron/(?!core/)', message: 'The server imports only the pure core of the point (electron/core/).' },
            { regex: '(^|/)(src|test|bench)/', message: 'The server imports no renderer, test or bench code.' },
          ],
        },
      ],
    },
  },
  {
    files: ['protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^\\.\\./(?!electron/core/)', message: 'protocol/ imports nothing of ours but electron/core/ (the point and the server both import it).' },
            { regex: '^(?!node:|zod$|\\.)', message: 'protocol/ imports only zod and Node built-ins.' },
          ],
        },
      ],
    },
  },
);
