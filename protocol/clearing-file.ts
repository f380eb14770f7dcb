import { z } from 'zod';
import { pointCode, receiptNo } from './payment.ts';

/**
 * The clearing file of contract section 3 as the server reads (ingest) and writes (consolidation)
 * it. The column order is the file format. The point's writer (electron/cmis/write-clearing.ts)
 * holds the same list; one of them should import the other when the point side is restructured.
 */
export const CLEARING_COLUMNS = [
  'MA_DVIQLY', 'MA_DIEMTHU', 'SO_BIENNHAN', 'MA_KHANG', 'TEN_KHANG', 'ID_HDON', 'LOAI_HDON', 'KY', 'THANG', 'NAM',
  'SO_TIEN', 'TIEN_GTGT', 'TONG_TIEN', 'NGAY_NOP', 'MA_TNGAN',
] as const;

/** `GACHNO_<point>_<yyyyMMdd>_<NN>.csv` */
export const POINT_BATCH_FILE = /^GACHNO_([A-Z0-9]{2,20})_(\d{8})_(\d{2})\.csv$/;

/** The manifest a point writes beside its clearing CSV (format version 1); fields a later version adds are let through. */
export const pointManifest = z
  .object({
    formatVersion: z.literal(1),
    pointCode,
    batchId: z.number().int().min(1),
    batchDay: z.string().regex(/^\d{8}$/),
    batchSeq: z.number().int().min(1).max(99),
    createdAt: z.string(),
    csvFile: z.string(),
    reconnectionFile: z.string(),
    firstReceipt: receiptNo,
    lastReceipt: receiptNo,
    rowCount: z.number().int().min(1),
    totalTongTien: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    receiptCount: z.number().int().min(1),
    reconnectionOrderCount: z.number().int().min(0),
    voidedReceipts: z.array(receiptNo),
    csvSha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** Lines CMIS rejected in an earlier batch and resent in this one (contract section 5); absent when none. */
    resent: z
      .array(z.object({ receiptNo, idHdon: z.string().max(40), tongTien: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), firstCsvFile: z.string().max(100) }))
      .max(100_000)
      .optional(),
  })
  .loose();
export type PointManifest = z.infer<typeof pointManifest>;
