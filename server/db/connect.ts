import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { AppError } from '../../electron/core/errors.ts';
import type { ServerTables } from './tables.ts';

export type ServerDb = Kysely<ServerTables>;

/** int8 (bigint money, counts) read as exact numbers: a value past 2^53 is an error, never rounded. */
function safeInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint past 2^53: ${text}`);
  return n;
}

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? safeInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** The database URL from --database or DATABASE_URL; refused with a code when neither is given. */
export function databaseUrl(option: string | undefined, env: NodeJS.ProcessEnv): string {
  const url = option ?? env.DATABASE_URL;
  if (url === undefined || url.trim() === '') {
    throw new AppError('SERVER_DATABASE_REQUIRED', 'Cần địa chỉ cơ sở dữ liệu PostgreSQL: --database postgresql://… hoặc biến môi trường DATABASE_URL.');
  }
  return url.trim();
}

export function openDb(url: string, options: { max?: number } = {}): ServerDb {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types, application_name: 'diemthu-server' });
  // A connection that breaks while idle (server restarted) is dropped from the pool, not thrown at the process.
  pool.on('error', () => {});
  return new Kysely<ServerTables>({ dialect: new PostgresDialect({ pool }) });
}
