/**
 * The money rules the database enforces itself (triggers, unique indexes, CHECKs) are only rules while
 * they exist as the migrations made them. The schema is compared, object by object and word for word,
 * with a fresh in-memory database migrated by the same steps.
 */
import Database from 'better-sqlite3';
import type { Sqlite } from '../store/open.ts';
import { migrations } from '../store/migrations.ts';
import type { Problems } from './problems.ts';

interface SchemaObject {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

// ANALYZE's statistics tables may come and go: they hold no rule.
const SCHEMA = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%'";

let expected: Map<string, SchemaObject> | null = null;

function expectedSchema(): Map<string, SchemaObject> {
  if (expected !== null) return expected;
  const fresh = new Database(':memory:');
  try {
    for (const m of migrations) fresh.exec(m.sql);
    expected = byName(fresh.prepare(SCHEMA).all() as SchemaObject[]);
  } finally {
    fresh.close();
  }
  return expected;
}

const byName = (objects: SchemaObject[]) => new Map(objects.map((o) => [`${o.type} ${o.name}`, o]));

const WHAT: Record<string, string> = { table: 'bảng', index: 'chỉ mục', trigger: 'trigger', view: 'view' };

export function checkSchema(sqlite: Sqlite, problems: Problems): void {
  const want = expectedSchema();
  const have = byName(sqlite.prepare(SCHEMA).all() as SchemaObject[]);
  for (const [key, o] of want) {
    const found = have.get(key);
    const what = `${WHAT[o.type] ?? o.type} ${o.name}`;
    if (found === undefined) problems.add('SCHEMA_MISSING', `Cấu trúc dữ liệu thiếu ${what} (quy tắc tiền do cơ sở dữ liệu giữ): đã bị xóa.`);
    else if (found.sql !== o.sql || found.tbl_name !== o.tbl_name) problems.add('SCHEMA_CHANGED', `Cấu trúc dữ liệu: ${what} khác với bản do chương trình tạo: đã bị sửa.`);
  }
  for (const [key, o] of have) {
    if (!want.has(key)) problems.add('SCHEMA_EXTRA', `Cấu trúc dữ liệu có thêm ${WHAT[o.type] ?? o.type} ${o.name} mà chương trình không tạo.`);
  }
}
