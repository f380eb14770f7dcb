import { doReadNumber, ReadingConfig } from 'read-vietnamese-number';
import { assertDong, type Dong } from '../../core/money.ts';

const config = new ReadingConfig();
config.unit = ['đồng'];

/** 1250000 -> "Một triệu hai trăm năm mươi nghìn đồng" (the receipt's "Bằng chữ"). */
export function amountInWords(amount: Dong): string {
  assertDong(amount);
  const words = doReadNumber(String(amount), config).trim();
  return words.charAt(0).toLocaleUpperCase('vi') + words.slice(1);
}
