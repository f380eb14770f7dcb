import type { Transaction } from 'kysely';
import { AppError } from '../../electron/core/errors.ts';
import type { ServerDb } from '../db/connect.ts';
import type { ServerTables } from '../db/tables.ts';

export type Trx = Transaction<ServerTables>;

/**
 * Deadlock (two voids promoting each other's payments), serialization failure, or a unique race
 * lost while a bill changed hands: the whole transaction ran against a moving state and rolled
 * back, so it is run again from the start. Anything else is thrown as it is.
 */
const RETRYABLE = new Set(['40P01', '40001', '23505']);
const ATTEMPTS = 8;

export async function inTransaction<T>(db: ServerDb, work: (trx: Trx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
      if (attempt >= ATTEMPTS) {
        throw new AppError('SERVER_BUSY', 'Máy chủ đang bận xử lý các khoản thu trùng lúc; hãy gửi lại sau ít giây (không có gì bị ghi).', { pgCode: code });
      }
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20 * attempt));
    }
  }
}
