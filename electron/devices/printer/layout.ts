/**
 * What a document looks like on paper, independent of how it is printed: a list of blocks that the
 * raster renderer draws with the bundled font and the text encoder sends as printer text. One layout
 * for both keeps a TCVN-3 receipt and a raster receipt saying the same thing.
 */
import type {
  DepositSlipDocument,
  PrintDocument,
  PrintHeader,
  ReceiptDocument,
  ReceiptListDocument,
  ReconnectionOrderDocument,
  RefundSlipDocument,
  TestPageDocument,
  VoidSlipDocument,
  ZReportDocument,
} from '../../core/documents.ts';
import { formatAmount, formatDong } from '../../core/money.ts';
import { formatDate, formatDateTime, localParts } from '../../core/local-time.ts';
import { amountInWords } from './amount-words.ts';

export type Align = 'left' | 'center' | 'right';
/** body: regular size; strong: bold; title: bold and larger. */
export type Style = 'body' | 'strong' | 'title';

export type Block =
  | { type: 'text'; text: string; align: Align; style: Style }
  | { type: 'pair'; label: string; value: string; style: Style }
  | { type: 'rule' }
  | { type: 'feed' }
  | { type: 'barcode'; value: string };

const text = (value: string, align: Align = 'left', style: Style = 'body'): Block => ({ type: 'text', text: value, align, style });
const pair = (label: string, value: string, style: Style = 'body'): Block => ({ type: 'pair', label, value, style });
const rule: Block = { type: 'rule' };
const feed: Block = { type: 'feed' };
const at = (iso: string) => formatDateTime(new Date(iso));

/** " (n)" after a Z report's line: how many bills or fees it holds (older reports did not count). */
const counted = (n: number | undefined) => (n === undefined ? '' : ` (${n})`);

const LINE_KIND: Record<'TD' | 'VC' | 'DC', string> = {
  TD: 'Tiền điện',
  VC: 'Tiền công suất phản kháng',
  DC: 'Phí đóng cắt điện',
};

/** The same header on every document of a point: the raster renderer caches its strips. */
export function headerBlocks(header: PrintHeader): Block[] {
  const blocks = [text(header.companyName, 'center', 'strong')];
  if (header.companyAddress !== '') blocks.push(text(header.companyAddress, 'center'));
  blocks.push(text(`Điểm thu ${header.pointCode}${header.pointName === '' ? '' : ` - ${header.pointName}`}`, 'center'));
  if ((header.pointAddress ?? '') !== '') blocks.push(text(header.pointAddress!, 'center'));
  if ((header.companyTaxCode ?? '') !== '') blocks.push(text(`Mã số thuế: ${header.companyTaxCode}`, 'center'));
  if ((header.companyHotline ?? '') !== '') blocks.push(text(`Đường dây nóng: ${header.companyHotline}`, 'center'));
  blocks.push(rule);
  return blocks;
}

function copyMark(copyNo: number): Block[] {
  return copyNo > 0 ? [text(`BẢN SAO lần ${copyNo}`, 'center', 'title')] : [];
}

const billLabel = (line: { idHdon: string | null; loaiHdon: 'TD' | 'VC' | 'DC'; ky: number | null; thang: number | null; nam: number | null }) =>
  line.idHdon === null ? 'Phí đóng điện lại' : `${LINE_KIND[line.loaiHdon]} kỳ ${line.ky ?? ''} tháng ${line.thang ?? ''}/${line.nam ?? ''}`;

/** More bills than this and the receipt prints one line a bill (five bills took ~22 cm of paper). */
export const COMPACT_AFTER_BILLS = 3;

const SHORT_KIND: Record<'TD' | 'VC' | 'DC', string> = { TD: 'Tiền điện', VC: 'Công suất PK', DC: 'Phí đóng cắt' };

/** Each bill (and the fee charged here) with its energy, amount before VAT, VAT and total, as CMIS bills it. */
function fullLines(lines: ReceiptDocument['lines']): Block[] {
  return lines.flatMap((line) => [
    text(billLabel(line), 'left', 'strong'),
    ...(line.dienTthu === null ? [] : [pair('  Điện năng:', `${line.dienTthu} kWh`)]),
    pair('  Tiền trước thuế:', formatDong(line.soTien)),
    pair('  Thuế GTGT:', formatDong(line.tienGtgt)),
    pair('  Cộng:', formatDong(line.tongTien), 'strong'),
  ]);
}

/** One line a bill, then the amounts before VAT and the VAT of them all. */
function compactLines(lines: ReceiptDocument['lines']): Block[] {
  return [
    ...lines.map((line) =>
      pair(line.idHdon === null ? 'Phí đóng điện lại' : `${SHORT_KIND[line.loaiHdon]} T${line.thang ?? ''}/${line.nam ?? ''}${(line.ky ?? 1) > 1 ? ` k${line.ky}` : ''}`, formatDong(line.tongTien)),
    ),
    pair('Cộng trước thuế:', formatDong(lines.reduce((sum, l) => sum + l.soTien, 0))),
    pair('Cộng thuế GTGT:', formatDong(lines.reduce((sum, l) => sum + l.tienGtgt, 0))),
  ];
}

/** What the customer paid and got back: one pair a figure, so a further figure is one more line. */
function receiptTotals(doc: ReceiptDocument): Block[] {
  const blocks = [pair('TỔNG CỘNG:', formatDong(doc.total), 'title'), text(`Bằng chữ: ${amountInWords(doc.total)}`)];
  if (doc.tendered !== null) blocks.push(...tenderBlocks(doc.total, doc.tendered, doc.changeRounding ?? 0));
  return blocks;
}

/** A receipt is not the VAT invoice; documents stored before this was printed are reprinted without it. */
function invoiceNote(header: PrintHeader): Block[] {
  if (header.einvoiceLookup === undefined) return [];
  const blocks = [text('Biên nhận này không thay thế hóa đơn GTGT.', 'center')];
  if (header.einvoiceLookup !== '') blocks.push(text(`Tra cứu hóa đơn điện tử: ${header.einvoiceLookup}`, 'center'));
  return blocks;
}

function receiptBlocks(doc: ReceiptDocument): Block[] {
  const c = doc.customer;
  const blocks: Block[] = [
    pair('Số biên nhận:', doc.receiptNo, 'strong'),
    pair('Ngày giờ:', at(doc.paidAt)),
    pair('Thu ngân:', `${doc.cashier.code} - ${doc.cashier.name}`),
    rule,
    pair('Mã khách hàng:', c.maKhang, 'strong'),
    text(c.tenKhang, 'left', 'strong'),
    text(c.dchiKhang),
  ];
  if (c.maSogcs !== null) blocks.push(pair('Sổ GCS / STT:', `${c.maSogcs} / ${c.stt ?? ''}`));
  if (c.soCto !== null) blocks.push(pair('Số công tơ:', c.soCto));
  const bills = doc.lines.filter((line) => line.idHdon !== null).length;
  blocks.push(rule, ...(bills > COMPACT_AFTER_BILLS ? compactLines(doc.lines) : fullLines(doc.lines)), rule, ...receiptTotals(doc));
  if (doc.reconnectionOrder) blocks.push(text('Đã lập lệnh đóng điện lại', 'center', 'strong'));
  blocks.push(feed, text('ĐÃ THANH TOÁN', 'center', 'title'), { type: 'barcode', value: doc.receiptNo });
  blocks.push(...invoiceNote(doc.header), text('Xin cảm ơn quý khách!', 'center'));
  return blocks;
}

/** Cash handed over and the change handed back; the rounding kept (setting change_rounding) only when there is one. */
function tenderBlocks(total: number, tendered: number, rounding: number): Block[] {
  const blocks = [pair('Khách đưa:', formatDong(tendered)), pair('Trả lại:', formatDong(tendered - total - rounding))];
  if (rounding > 0) blocks.push(pair('Làm tròn tiền trả lại:', formatDong(rounding)));
  return blocks;
}

function voidSlipBlocks(doc: VoidSlipDocument): Block[] {
  return [
    pair('Số biên nhận:', doc.receiptNo, 'strong'),
    pair('Ngày thu:', at(doc.paidAt)),
    pair('Ngày hủy:', at(doc.voidedAt)),
    pair('Người hủy:', `${doc.supervisor.code} - ${doc.supervisor.name}`),
    text(`Lý do: ${doc.reason}`),
    rule,
    pair('Mã khách hàng:', doc.customer.maKhang, 'strong'),
    text(doc.customer.tenKhang, 'left', 'strong'),
    rule,
    pair('SỐ TIỀN HỦY:', formatDong(doc.total), 'title'),
    text(`Bằng chữ: ${amountInWords(doc.total)}`),
    feed,
    text('BIÊN NHẬN ĐÃ BỊ HỦY', 'center', 'title'),
    { type: 'barcode', value: doc.receiptNo },
  ];
}

function refundSlipBlocks(doc: RefundSlipDocument): Block[] {
  const blocks: Block[] = [
    pair('Số phiếu:', String(doc.refundId), 'strong'),
    pair('Theo biên nhận:', doc.receiptNo, 'strong'),
    pair('Ngày thu:', at(doc.paidAt)),
    pair('Ngày hoàn:', at(doc.refundedAt)),
    pair('Ca chi tiền:', String(doc.shiftId)),
    pair('Thu ngân chi:', `${doc.cashier.code} - ${doc.cashier.name}`),
    pair('Giám sát duyệt:', `${doc.supervisor.code} - ${doc.supervisor.name}`),
    rule,
    pair('Mã khách hàng:', doc.customer.maKhang, 'strong'),
    text(doc.customer.tenKhang, 'left', 'strong'),
    rule,
  ];
  for (const line of doc.lines) {
    blocks.push(text(billLabel(line), 'left', 'strong'));
    if (line.idHdon !== null) blocks.push(pair('  Mã hóa đơn:', line.idHdon));
    blocks.push(text(`  ${line.why}`), pair('  Hoàn:', formatDong(line.amount), 'strong'));
  }
  blocks.push(
    rule,
    pair('SỐ TIỀN HOÀN:', formatDong(doc.total), 'title'),
    text(`Bằng chữ: ${amountInWords(doc.total)}`),
    text(`Lý do: ${doc.reason}`),
    feed,
    text('Khách hàng ký', 'center'),
    feed,
    feed,
    text('Thu ngân ký            Giám sát ký', 'center'),
    feed,
    feed,
  );
  return blocks;
}

/** The journal head a report names, so the paper can later be held against the journal (verify --anchor). */
function chainHeadBlocks(doc: { chainHeadId: number; chainHead: string }): Block[] {
  // four groups of 16 hex digits fit any paper width
  return [text(`Mã kiểm tra nhật ký (dòng ${doc.chainHeadId}):`), ...(doc.chainHead.match(/.{1,16}/g) ?? []).map((part) => text(part))];
}

/** yyyy-mm-dd as dd/mm/yyyy. */
const dayText = (day: string) => day.split('-').reverse().join('/');

function depositSlipBlocks(doc: DepositSlipDocument): Block[] {
  const blocks: Block[] = [
    pair('Số bảng kê:', String(doc.depositId), 'strong'),
    pair('Ngày:', dayText(doc.day), 'strong'),
    pair('Lập lúc:', at(doc.madeAt)),
    pair('Giám sát:', `${doc.supervisor.code} - ${doc.supervisor.name}`),
    rule,
  ];
  for (const c of doc.cashiers) {
    blocks.push(
      text(`${c.cashier.code} - ${c.cashier.name}`, 'left', 'strong'),
      pair('  Ca:', c.shiftIds.join(', ')),
      pair(`  Thu (${c.receipts} biên nhận):`, formatDong(c.receiptsTotal)),
      ...(c.roundingTotal > 0 ? [pair('  Làm tròn tiền trả lại:', formatDong(c.roundingTotal))] : []),
      pair(`  Hoàn tiền (${c.refunds} phiếu):`, formatDong(c.refundsTotal)),
      pair('  Nộp:', formatDong(c.handedOver), 'strong'),
    );
  }
  blocks.push(rule, text('Bảng kê loại tiền', 'left', 'strong'));
  for (const n of doc.notes) if (n.count > 0) blocks.push(pair(`  ${formatAmount(n.value)} x ${n.count}:`, formatDong(n.value * n.count)));
  if ((doc.looseChange ?? 0) > 0) blocks.push(pair('  Tiền lẻ dưới 200 đ:', formatDong(doc.looseChange!)));
  blocks.push(
    rule,
    pair('Tiền phải nộp:', formatDong(doc.expected)),
    pair('TIỀN NỘP NGÂN HÀNG:', formatDong(doc.counted), 'title'),
    text(`Bằng chữ: ${amountInWords(doc.counted)}`),
    pair('Chênh lệch:', formatDong(doc.difference), 'strong'),
    ...(doc.reason === null ? [] : [text(`Lý do chênh lệch: ${doc.reason}`)]),
    feed,
    text('Giám sát ký            Người nộp ký', 'center'),
    feed,
    feed,
  );
  return blocks;
}

const orDash = (value: number | null) => (value === null ? '-' : formatDong(value));

function zReportBlocks(doc: ZReportDocument): Block[] {
  const blocks: Block[] = [pair('Ngày:', dayText(doc.day))];
  if (doc.shiftId !== null) blocks.push(pair('Ca:', String(doc.shiftId)));
  if (doc.cashier !== null) blocks.push(pair('Thu ngân:', `${doc.cashier.code} - ${doc.cashier.name}`));
  if (doc.openedAt !== null) blocks.push(pair('Mở ca:', at(doc.openedAt)));
  if (doc.closedAt !== null) blocks.push(pair('Đóng ca:', at(doc.closedAt)));
  blocks.push(
    pair('Lập lúc:', at(doc.generatedAt)),
    rule,
    pair('Số biên nhận:', String(doc.receiptCount), 'strong'),
    pair('Từ số:', doc.firstReceipt ?? '-'),
    pair('Đến số:', doc.lastReceipt ?? '-'),
    ...(['TD', 'VC', 'DC'] as const).map((type) => pair(`${LINE_KIND[type]}${counted(doc.counts?.[type])}:`, formatDong(doc.totalsByType[type]))),
    pair(`Phí đóng điện lại tại quầy${counted(doc.counts?.fees)}:`, formatDong(doc.feesCollected)),
    pair('TỔNG THU:', formatDong(doc.grandTotal), 'title'),
    rule,
    pair('Biên nhận hủy:', `${doc.voids.count} (${formatDong(doc.voids.total)})`),
  );
  for (const receipt of doc.voids.receipts) blocks.push(text(`  ${receipt}`));
  blocks.push(
    pair('Số lần in lại:', String(doc.reprints)),
    rule,
    pair('Tiền đầu ca:', orDash(doc.openingFloat)),
    ...(doc.refunds === undefined ? [] : [pair(`Hoàn tiền${counted(doc.refunds.count)}:`, formatDong(doc.refunds.total))]),
    ...(doc.changeRounding === undefined ? [] : [pair(`Làm tròn tiền trả lại${counted(doc.changeRounding.count)}:`, formatDong(doc.changeRounding.total))]),
    pair('Tiền mặt phải có:', orDash(doc.expectedCash)),
    pair('Tiền mặt đếm được:', orDash(doc.countedCash)),
    pair('Chênh lệch:', orDash(doc.variance), 'strong'),
    rule,
    ...chainHeadBlocks(doc),
    feed,
    text('Thu ngân ký            Giám sát ký', 'center'),
    feed,
    feed,
  );
  return blocks;
}

const hourMinute = (iso: string) => {
  const p = localParts(new Date(iso));
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
};

/** Two lines a receipt: number and amount ("HỦY" for a voided one: its amount is not collected), then time and customer. */
function receiptListBlocks(doc: ReceiptListDocument): Block[] {
  const blocks: Block[] = [pair('Ngày:', dayText(doc.day))];
  if (doc.shiftId !== null) blocks.push(pair('Ca:', String(doc.shiftId)));
  if (doc.cashier !== null) blocks.push(pair('Thu ngân:', `${doc.cashier.code} - ${doc.cashier.name}`));
  blocks.push(pair('Lập lúc:', at(doc.generatedAt)), rule);
  for (const r of doc.receipts) {
    blocks.push(pair(r.receiptNo, r.voided ? 'HỦY' : formatDong(r.total)));
    blocks.push(text(`  ${hourMinute(r.paidAt)} ${r.maKhang} ${r.tenKhang}${doc.cashier === null ? ` (${r.cashierCode})` : ''}`));
  }
  if (doc.receipts.length === 0) blocks.push(text('Không có biên nhận nào.', 'center'));
  blocks.push(
    rule,
    pair('Biên nhận hợp lệ:', String(doc.validCount), 'strong'),
    pair('Biên nhận hủy:', String(doc.voidedCount)),
    pair('TỔNG THU:', formatDong(doc.validTotal), 'title'),
    ...chainHeadBlocks(doc),
    feed,
    text('Người lập ký', 'center'),
    feed,
    feed,
  );
  return blocks;
}

function reconnectionBlocks(doc: ReconnectionOrderDocument): Block[] {
  const c = doc.customer;
  const blocks: Block[] = [
    pair('Số lệnh:', doc.orderNo ?? String(doc.orderId), 'strong'),
    pair('Theo biên nhận:', doc.receiptNo),
    pair('Lập lúc:', at(doc.requestedAt)),
    ...(doc.cashier === undefined ? [] : [pair('Thu ngân lập:', `${doc.cashier.code} - ${doc.cashier.name}`)]),
    rule,
    pair('Mã khách hàng:', c.maKhang, 'strong'),
    text(c.tenKhang, 'left', 'strong'),
    text(c.dchiKhang),
  ];
  if (c.dthoaiSms !== null) blocks.push(pair('Điện thoại:', c.dthoaiSms));
  if (c.soCto !== null) blocks.push(pair('Số công tơ:', c.soCto));
  blocks.push(rule, text('Khách hàng đã thanh toán đủ nợ. Đề nghị đóng điện lại.'), feed);
  // Orders stored before carried no cashier: reprinted as they were printed.
  if (doc.cashier !== undefined) {
    blocks.push(text('Thu ngân ký        Khách hàng ký', 'center'), feed, feed, feed, text('Người đóng điện ký, ghi ngày giờ', 'center'), feed, feed, feed);
  }
  return blocks;
}

/** Every letter Vietnamese needs, so a supervisor can see which mode prints them right. */
export const VIETNAMESE_SAMPLE = [
  'AĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY',
  'aăâbcdđeêghiklmnoôơpqrstuưvxy',
  'á à ả ã ạ  ắ ằ ẳ ẵ ặ  ấ ầ ẩ ẫ ậ',
  'é è ẻ ẽ ẹ  ế ề ể ễ ệ  í ì ỉ ĩ ị',
  'ó ò ỏ õ ọ  ố ồ ổ ỗ ộ  ớ ờ ở ỡ ợ',
  'ú ù ủ ũ ụ  ứ ừ ử ữ ự  ý ỳ ỷ ỹ ỵ',
  'ẮẰẲẴẶ ẤẦẨẪẬ ỐỒỔỖỘ ỨỪỬỮỰ',
];

function testPageBlocks(doc: TestPageDocument): Block[] {
  return [pair('In lúc:', at(doc.printedAt)), rule, ...VIETNAMESE_SAMPLE.map((line) => text(line)), rule, pair('Số tiền mẫu:', formatDong(1234567))];
}

const TITLES: Record<PrintDocument['kind'], string> = {
  receipt: 'BIÊN NHẬN THANH TOÁN TIỀN ĐIỆN',
  void_slip: 'PHIẾU HỦY BIÊN NHẬN',
  refund: 'PHIẾU HOÀN TIỀN',
  deposit_slip: 'BẢNG KÊ NỘP TIỀN',
  z_report: 'BÁO CÁO Z',
  receipt_list: 'BẢNG KÊ BIÊN NHẬN',
  reconnection_order: 'LỆNH ĐÓNG ĐIỆN LẠI',
  test_page: 'TRANG IN THỬ',
};

function title(doc: PrintDocument): Block[] {
  if (doc.kind !== 'z_report') return [text(TITLES[doc.kind], 'center', 'title')];
  const scope = doc.scope === 'shift' ? 'CHỐT CA' : `CHỐT NGÀY ${formatDate(new Date(doc.generatedAt))}`;
  return [text(`${TITLES.z_report} - ${scope}`, 'center', 'title')];
}

function bodyBlocks(doc: PrintDocument): Block[] {
  switch (doc.kind) {
    case 'receipt':
      return receiptBlocks(doc);
    case 'void_slip':
      return voidSlipBlocks(doc);
    case 'refund':
      return refundSlipBlocks(doc);
    case 'deposit_slip':
      return depositSlipBlocks(doc);
    case 'z_report':
      return zReportBlocks(doc);
    case 'receipt_list':
      return receiptListBlocks(doc);
    case 'reconnection_order':
      return reconnectionBlocks(doc);
    case 'test_page':
      return testPageBlocks(doc);
  }
}

/** The whole document; copyNo > 0 adds "BẢN SAO lần n" under the title. */
export function layoutDocument(doc: PrintDocument, copyNo: number): Block[] {
  return [...headerBlocks(doc.header), ...title(doc), ...copyMark(copyNo), ...bodyBlocks(doc)];
}
