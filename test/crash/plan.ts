import * as fs from 'node:fs';

/** The client's plan shared by the crash harness and its child: request i pays customer i under key i. */
export const ACK_FILE = 'acks.txt';
export const EXPORT_DIR = 'exports';
export const EXPORT_EVERY = 25;

export const planKey = (i: number): string => `crash-key-${i}`;
export const planCustomer = (i: number): string => `PC12AA${String(i).padStart(7, '0')}`;

/** Acknowledged receipts, in order; a torn last line (killed mid-write) does not count. */
export function readAcks(path: string): { key: string; receiptNo: string }[] {
  if (!fs.existsSync(path)) return [];
  const text = fs.readFileSync(path, 'utf8');
  const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  return complete
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [key, receiptNo] = l.split(' ') as [string, string];
      return { key, receiptNo };
    });
}
