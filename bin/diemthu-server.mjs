#!/usr/bin/env node
// The `diemthu-server` command: runs the TypeScript server through tsx (Node >= 22).
import { register } from 'tsx/esm/api';

const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  process.stderr.write(`[NODE_TOO_OLD] diemthu-server cần Node 22 trở lên (đang chạy ${process.version}). Hãy chạy qua "npx diemthu-server".\n`);
  process.exit(1);
}
register();
const { main } = await import('../server/cli/main.ts');
// SIGINT / SIGTERM end `serve` gracefully: in-flight requests finish, their transactions commit or roll back.
const stopped = new Promise((resolve) => {
  process.once('SIGINT', resolve);
  process.once('SIGTERM', resolve);
});
process.exitCode = await main(process.argv.slice(2), undefined, stopped);
process.exit();
