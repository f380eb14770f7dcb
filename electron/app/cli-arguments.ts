/** The command after `--cli` (e.g. `DiemThu.exe --cli status --json` -> `status --json`), or null for the till. */
export function cliArguments(argv: readonly string[]): string[] | null {
  const at = argv.indexOf('--cli', 1);
  return at === -1 ? null : argv.slice(at + 1);
}
