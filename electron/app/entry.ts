/**
 * The packaged app's one executable: `DiemThu.exe --cli <command> [options]` runs a `diemthu` command
 * and exits, with no window and without the `electron` module ever loaded (IT's tools on a point PC that
 * has no Node; the RunAsNode fuse stays off). Anything else starts the till (main.ts). The lazy imports
 * keep each path's modules out of the other: esbuild turns them into lazy initialisers in main.cjs.
 */
import { cliArguments } from './cli-arguments.ts';

const args = cliArguments(process.argv);
if (args === null) {
  void import('./main.ts');
} else {
  void import('../cli/diemthu.ts')
    .then(({ main }) => main(args))
    .then(
      (code) => process.exit(code),
      (error: unknown) => {
        process.stderr.write(`[INTERNAL] ${String(error)}\n`);
        process.exit(1);
      },
    );
}
