// Lint keeps each file in its process and each folder in its zone (README, Architecture): the
// Electron shell (electron/app/) alone imports `electron`; domain folders never import the shell, the
// IPC adapter or the CLI; devices/ imports neither the store nor a domain; core/ is pure; no import
// cycle anywhere. The renderer imports no Node and no service. The server (server/) shares only the
// pure core and the sync protocol with the point; the protocol (protocol/) is shared by both.
import tseslint from 'typescript-eslint';
import diemthu from './eslint/diemthu-rules.js';

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
    ignores: ['electron/app/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only the Electron shell (electron/app/) imports electron.' }] }],
    },
  },
  {
    // server/ is not held to it yet: its sync/apply.ts and migrations runner still import each other.
    files: ['electron/**/*.ts', 'src/**/*.ts', 'src/**/*.tsx', 'migrations/**/*.ts', 'protocol/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts'],
    plugins: { diemthu },
    rules: { 'diemthu/no-import-cycle': 'error', 'diemthu/zones': ['error', zoneRules()] },
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
    // The IPC adapter maps and routes: every query lives in its domain folder (read models included).
    files: ['electron/ipc/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportDeclaration[source.value=/(^|\\/)server\\//]', message: 'The point never imports the server; both share protocol/ and electron/core/.' },
        {
          selector: 'CallExpression[callee.property.name=/^(prepare|exec|pragma|transaction|selectFrom|insertInto|updateTable|deleteFrom)$/]',
          message: 'No SQL in ipc/: put the query in its domain folder and call it from the handler.',
        },
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
            { regex: '(^|/)electron/(?!core/|sms/)', message: 'The server imports only the pure code of the point (electron/core/, electron/sms/).' },
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

/**
 * What each folder of electron/ may import besides itself (and npm packages). Domains share the
 * store, the devices and each other; only the shell sees everything.
 */
function zoneRules() {
  const domains = ['customers', 'payments', 'shifts', 'users', 'cmis', 'printing', 'backups', 'verify', 'sms', 'sync'];
  const base = ['core', 'store', 'devices', 'migrations', 'protocol'];
  const domain = { allow: [...base, ...domains], message: 'a domain never imports the Electron shell, the IPC adapter or the CLI.' };
  return {
    'electron-root': { allow: [], message: 'every file of electron/ lives in a folder of its zone.' },
    core: { allow: [], message: 'core is pure domain code.' },
    store: { allow: ['core', 'migrations'], message: 'the store holds the database and its journal; domains build on it, not the other way.' },
    devices: { allow: ['core'], message: 'devices move bytes (how); what prints and when is printing/, with the store.' },
    ...Object.fromEntries(domains.map((d) => [d, domain])),
    ipc: { allow: [...base, ...domains], message: 'the IPC adapter sits over the domains; the shell wires it, the CLI is its sibling.' },
    cli: { allow: [...base, ...domains], message: 'the CLI sits over the domains, beside the IPC adapter; the shell may start it.' },
    // The shell's entry (app/entry.ts) starts either the window or, with --cli, the CLI.
    app: { allow: [...base, ...domains, 'ipc', 'cli'], message: 'the shell wires the IPC adapter (and, for --cli, the CLI) over the domains.' },
  };
}
