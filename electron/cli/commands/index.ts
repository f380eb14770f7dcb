import type { Command } from '../command.ts';
import { initCommand } from './init.ts';
import { importCommand } from './import.ts';
import { statusCommand } from './status.ts';
import { findCommand } from './find.ts';
import { verifyCommand } from './verify.ts';
import { backupCommand } from './backup.ts';
import { restoreCommand } from './restore.ts';
import { exportCommand } from './export.ts';
import { reportCommand } from './report.ts';
import { userCommand } from './user.ts';
import { shiftCommand } from './shift.ts';
import { collectCommand } from './collect.ts';
import { voidCommand } from './void.ts';
import { reprintCommand } from './reprint.ts';
import { printCommand } from './print.ts';
import { resultCommand } from './result.ts';
import { syncCommand } from './sync.ts';
import { smsCommand } from './sms.ts';
import { refundCommand, resendCommand } from './refund.ts';
import { supportCommand } from './support.ts';
import { depositCommand } from './deposit.ts';

/** Every command of `diemthu`, one module each. */
export const commands: Command[] = [initCommand, importCommand, statusCommand, findCommand, userCommand, shiftCommand, collectCommand, voidCommand, reprintCommand, printCommand, reportCommand, exportCommand, resultCommand, refundCommand, resendCommand, depositCommand, smsCommand, verifyCommand, backupCommand, restoreCommand, syncCommand, supportCommand];
