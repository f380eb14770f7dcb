import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { AppError } from '../electron/core/errors.ts';
import { POINT_CODE, sha256Hex, UNIT_CODE } from '../protocol/payment.ts';
import type { ServerDb } from './db/connect.ts';

export interface Point {
  code: string;
  unit: string;
  office: string | null;
  lastSeq: number;
}

/**
 * A point's credential: 256 random bits, shown once. Only its SHA-256 is stored: with that much
 * entropy a fast hash is enough (nothing to guess), and a stolen table holds no usable token.
 */
export async function addPoint(db: ServerDb, args: { point: string; unit: string; office?: string }): Promise<{ point: Point; token: string }> {
  const code = args.point.trim().toUpperCase();
  const unit = args.unit.trim().toUpperCase();
  const office = args.office?.trim().normalize('NFC') || null;
  if (!POINT_CODE.test(code)) throw new AppError('POINT_CODE_INVALID', `Mã điểm thu "${args.point}" không hợp lệ (2-20 ký tự A-Z, 0-9).`);
  if (!UNIT_CODE.test(unit)) throw new AppError('UNIT_CODE_INVALID', `Mã đơn vị "${args.unit}" không hợp lệ (4-10 ký tự A-Z, 0-9).`);
  if (office !== null && office.length > 200) throw new AppError('OFFICE_INVALID', 'Tên phòng giao dịch dài quá 200 ký tự.');
  const token = `dt1_${randomBytes(32).toString('base64url')}`;
  const inserted = await sql`
    INSERT INTO points (code, unit, office, token_sha256) VALUES (${code}, ${unit}, ${office}, ${sha256Hex(token)}) ON CONFLICT (code) DO NOTHING`.execute(db);
  if (inserted.numAffectedRows === 0n) throw new AppError('POINT_EXISTS', `Điểm thu ${code} đã có trên máy chủ; mã truy cập cũ vẫn dùng được.`);
  return { point: { code, unit, office, lastSeq: 0 }, token };
}

/** The point a bearer token belongs to, or null. */
export async function pointByToken(db: ServerDb, token: string): Promise<Point | null> {
  const row = await db.selectFrom('points').select(['code', 'unit', 'office', 'last_seq']).where('token_sha256', '=', sha256Hex(token)).executeTakeFirst();
  return row === undefined ? null : { code: row.code, unit: row.unit, office: row.office, lastSeq: row.last_seq };
}
