#!/usr/bin/env node
// The `diemthu` command in a checkout: runs the TypeScript CLI through tsx (Node >= 22).
import { register } from 'tsx/esm/api';

const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  process.stderr.write(`[NODE_TOO_OLD] Điểm Thu cần Node 22 trở lên (đang chạy ${process.version}). Hãy chạy qua "npx diemthu" hoặc "npm run diemthu".\n`);
  process.exit(1);
}
register();
const { main } = await import('../electron/cli/diemthu.ts');
process.exitCode = await main(process.argv.slice(2));
