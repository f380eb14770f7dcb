import type { Sqlite } from '../store/open.ts';
import { query, selectFirst, selectOne } from '../store/typed-query.ts';
import { AppError } from '../core/errors.ts';
import type { User } from './users.ts';

/**
 * Separation of duties for a void, beyond "not your own payment": whoever holds a supervisor PIN
 * can add identities, so the voiding supervisor must not be linked to the collector by approvals
 * (either approved the other, directly or through others) and must have existed before the payment.
 * The database refuses the same (trigger payments_void_separation); this gives the sentence and the
 * approval path a person reads.
 */
export function assertVoidSeparation(sqlite: Sqlite, payment: { id: number; receiptNo: string; cashierId: number }, voider: User): void {
  const path = linkPath(sqlite, payment.cashierId, voider.id);
  if (path !== null) {
    throw new AppError(
      'VOID_LINKED_USERS',
      `Không hủy được biên nhận ${payment.receiptNo}: người thu và người hủy có liên hệ phê duyệt (chuỗi duyệt ${path.join(' → ')}), nên có thể là cùng một người. Một giám sát viên không liên quan phải hủy.`,
      { path },
    );
  }
  const { added } = selectOne(sqlite, query.selectFrom('users').where('id', '=', voider.id).select('added_after_payment_id as added'));
  if (added >= payment.id) {
    throw new AppError(
      'VOID_SUPERVISOR_TOO_NEW',
      `Không hủy được biên nhận ${payment.receiptNo}: giám sát viên ${voider.code} được thêm vào sau khi biên nhận này được thu. Một giám sát viên đã có từ trước phải hủy.`,
    );
  }
}

/** How two users are linked by approvals (or a PIN reset), either way round, as codes from the elder down; null when they are not. */
export function linkPath(sqlite: Sqlite, a: number, b: number): string[] | null {
  return approvalPath(sqlite, a, b) ?? approvalPath(sqlite, b, a);
}

/** The codes from `ancestorId` down to `userId` along approvals (and PIN resets), or null when they are not linked. */
function approvalPath(sqlite: Sqlite, ancestorId: number, userId: number): string[] | null {
  const isLinked = (id: number) =>
    selectFirst(sqlite, query.selectFrom('user_links').where('user_id', '=', id).where('ancestor_id', '=', ancestorId).select('user_id')) !== undefined;
  if (!isLinked(userId)) return null;
  const leadsToAncestor = (id: number | null) => id !== null && (id === ancestorId || isLinked(id));
  const approvers = (id: number) => selectOne(sqlite, query.selectFrom('users').where('id', '=', id).select(['code', 'approved_by as a', 'co_approved_by as b']));
  const path: string[] = [];
  // Up from the user, each step to an approver that is the ancestor or leads to it (approvers are older rows).
  for (let id = userId; ; ) {
    const row = approvers(id);
    path.unshift(row.code);
    if (id === ancestorId) return path;
    const next = [row.a, row.b].find(leadsToAncestor);
    if (next === undefined || next === null) {
      // no approval leads up: the link is a PIN reset (../user-admin.ts), the ancestor knew this PIN
      const { code } = approvers(ancestorId);
      path.unshift(`${code} (đã đặt lại PIN)`);
      return path;
    }
    id = next;
  }
}
