import { importResult } from '../../cmis/import-result.ts';
import { batchStates } from '../../cmis/clearing-state.ts';
import { waitingDecisions } from '../../cmis/waiting-decisions.ts';
import { resendLines } from '../../cmis/resends.ts';
import { refundLines } from '../../payments/refunds.ts';
import type { DomainHandlers, Till } from './deps.ts';

type ResultChannel = 'chooseResultFile' | 'resultRead' | 'clearingState' | 'decideRefund' | 'decideResend';

/** Contract section 5 on screen: CMIS's answer read, the batches' stages, and a supervisor's refund or resend of a line. */
export function resultHandlers(t: Till): DomainHandlers<ResultChannel> {
  const { ctx, session } = t;
  return {
    chooseResultFile: async () => ({ path: await t.dialogs.chooseResultFile() }),

    resultRead: ({ path }) => {
      session.requireUser();
      const result = importResult(ctx, path);
      t.changed();
      return result;
    },

    clearingState: () => {
      session.requireUser();
      return { batches: batchStates(ctx.sqlite), waiting: waitingDecisions(ctx.sqlite) };
    },

    // The cash leaves the drawer of the signed-in cashier's open shift; the supervisor decides with their PIN.
    decideRefund: async ({ receiptNo, bills, reason, supervisor }) => {
      const cashier = session.requireUser();
      const decidedBy = t.supervisor(supervisor);
      const r = await t.admit(() => refundLines(ctx, { receiptNo, bills, reason, supervisorId: decidedBy.id, cashierId: cashier.id }));
      t.printed();
      return { receiptNo: r.receiptNo, total: r.total, shiftId: r.shiftId };
    },

    decideResend: ({ receiptNo, bills, supervisor }) => {
      session.requireUser();
      const r = resendLines(ctx, { receiptNo, bills, supervisorId: t.supervisor(supervisor).id });
      t.changed();
      return { receiptNo: r.receiptNo };
    },
  };
}
