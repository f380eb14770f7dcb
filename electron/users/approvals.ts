import type { Sqlite } from '../store/open.ts';
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
  const { added } = sqlite.prepare('SELECT added_after_payment_id AS added FROM users WHERE id = ?').get(voider.id) as { added: number };
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
  const isLinked = sqlite.prepare('SELECT 1 FROM user_links WHERE user_id = ? AND ancestor_id = ?');
  if (isLinked.get(userId, ancestorId) === undefined) return null;
  const leadsToAncestor = (id: number | null) => id !== null && (id === ancestorId || isLinked.get(id, ancestorId) !== undefined);
  const approvers = sqlite.prepare('SELECT code, approved_by AS a, co_approved_by AS b FROM users WHERE id = ?');
  const path: string[] = [];
  // Up from the user, each step to an approver that is the ancestor or leads to it (approvers are older rows).
  for (let id = userId; ; ) {
    const row = approvers.get(id) as { code: string; a: number | null; b: number | null };
    path.unshift(row.code);
    if (id === ancestorId) return path;
    const next = [row.a, row.b].find(leadsToAncestor);
    if (next === undefined || next === null) {
      // no approval leads up: the link is a PIN reset (../user-admin.ts), the ancestor knew this PIN
      const { code } = approvers.get(ancestorId) as { code: string };
      path.unshift(`${code} (đã đặt lại PIN)`);
      return path;
    }
    id = next;
  }
}
