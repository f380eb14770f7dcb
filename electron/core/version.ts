/** The program's version, as package.json says (test/core/version.test.ts holds them equal): in `status`, the status bar and support calls. */
export const VERSION = '0.1.0';
