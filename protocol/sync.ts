import { z } from 'zod';
import { batchBody, paymentBody, pointCode, receiptNo } from './payment.ts';
import { refundBody } from './refund.ts';

/**
 * The sync API between a point and the server: the same zod schemas validate every request and
 * response on both sides. Version 1. Every route is POST with a JSON body and a bearer token; every
 * answer is `{ok: true, value}` or `{ok: false, error: {code, message}}` (a Vietnamese sentence).
 */
export const PROTOCOL_VERSION = 1;
export const MAX_EVENTS_PER_PUSH = 2000;
/** Bytes of one request body: 2,000 payments of a few lines fit with room; anything larger is refused unread. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

const seq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/**
 * One outbox item of the point, in the order it was written (`seq`: the point's own increasing
 * number). A payment is identified by its receipt number, a batch by (point, day, NN), a void by the
 * receipt it voids, a refund by (point, its refund number). `resend` (a decision on CMIS's clearing
 * result the point keeps to itself for now) is a known name: this server answers it
 * `EVENT_KIND_NOT_SUPPORTED` and goes on with the rest.
 */
export const paymentEvent = z.object({ kind: z.literal('payment'), seq, payment: paymentBody }).strict();
export const voidEvent = z.object({ kind: z.literal('void'), seq, receiptNo }).strict();
export const exportEvent = z.object({ kind: z.literal('export'), seq, batch: batchBody }).strict();
export const refundEvent = z.object({ kind: z.literal('refund'), seq, refund: refundBody }).strict();
export const laterEvent = z.object({ kind: z.enum(['resend']), seq }).loose();
export const syncEvent = z.discriminatedUnion('kind', [paymentEvent, voidEvent, exportEvent, refundEvent, laterEvent]);
export type SyncEvent = z.infer<typeof syncEvent>;
export type PaymentEvent = z.infer<typeof paymentEvent>;
export type VoidEvent = z.infer<typeof voidEvent>;
export type ExportEvent = z.infer<typeof exportEvent>;
export type RefundEvent = z.infer<typeof refundEvent>;

export const pushRequest = z
  .object({
    protocol: z.literal(PROTOCOL_VERSION),
    pointCode,
    events: z.array(syncEvent).min(1).max(MAX_EVENTS_PER_PUSH),
  })
  .strict()
  .refine((r) => r.events.every((e, i) => i === 0 || e.seq > r.events[i - 1]!.seq), 'seq phải tăng dần trong một lần gửi');
export type PushRequest = z.infer<typeof pushRequest>;

/** A bill the payment names that another (earlier-arrived, valid) receipt holds. */
export const conflictRef = z.object({ idHdon: z.string(), heldBy: receiptNo }).strict();

/**
 * Per event: `accepted` recorded now; `duplicate` already recorded with the same body (a repeated
 * push: nothing new); `conflict` recorded, but the bills in `conflicts` are held by other receipts
 * (the later arrival is the conflict: a refund case); `refused` not recorded, `code` says why.
 * A duplicate also lists the payment's open conflicts, so a lost acknowledgement loses nothing.
 */
export const ack = z
  .object({
    seq,
    status: z.enum(['accepted', 'duplicate', 'conflict', 'refused']),
    code: z.string().optional(),
    message: z.string().optional(),
    conflicts: z.array(conflictRef).optional(),
  })
  .strict();
export type Ack = z.infer<typeof ack>;

export const pushResponse = z
  .object({
    acks: z.array(ack),
    /** The highest seq the server has seen from this point (any push): the point may drop what is at or below it once acknowledged. */
    lastSeq: z.number().int().min(0),
    serverTime: z.string(),
  })
  .strict();
export type PushResponse = z.infer<typeof pushResponse>;

/** Opaque to the point: it sends back what the last pull gave (null the first time). */
export const cursor = z.string().regex(/^\d{1,20}:\d{1,20}$/);

export const pullRequest = z
  .object({ protocol: z.literal(PROTOCOL_VERSION), pointCode, cursor: cursor.nullable(), limit: z.number().int().min(1).max(5000).default(1000) })
  .strict();
export type PullRequest = z.input<typeof pullRequest>;

/** A payment of another counter of the office: what the customer card shows ("đã thu tại quầy … lúc …"). */
export const pulledPayment = z
  .object({
    kind: z.literal('payment'),
    receiptNo,
    pointCode,
    maKhang: z.string(),
    paidAt: z.string(),
    cashierCode: z.string(),
    total: z.number().int(),
    /** Bills this receipt holds now (a conflicting bill is not held). */
    bills: z.array(z.string()),
    voided: z.boolean(),
  })
  .strict();
export const pulledVoid = z.object({ kind: z.literal('void'), receiptNo, pointCode }).strict();
/**
 * A conflict that involves this point (its receipt is the later one or the holder). `open`: the
 * customer paid twice, refund case; `promoted`: the holder was voided and this receipt now holds
 * the bill; `closed`: the later receipt was voided itself.
 */
export const pulledConflict = z
  .object({
    kind: z.literal('conflict'),
    id: z.number().int(),
    idHdon: z.string(),
    receiptNo,
    pointCode,
    heldBy: receiptNo.nullable(),
    heldByPoint: pointCode.nullable(),
    status: z.enum(['open', 'promoted', 'closed']),
    detectedAt: z.string(),
  })
  .strict();
export const pulledItem = z.discriminatedUnion('kind', [pulledPayment, pulledVoid, pulledConflict]);
export type PulledItem = z.infer<typeof pulledItem>;

export const pullResponse = z.object({ items: z.array(pulledItem), cursor: cursor.nullable(), more: z.boolean(), serverTime: z.string() }).strict();
export type PullResponse = z.infer<typeof pullResponse>;

export const helloRequest = z.object({ protocol: z.literal(PROTOCOL_VERSION), pointCode }).strict();
export const helloResponse = z
  .object({ pointCode, unit: z.string(), office: z.string().nullable(), lastSeq: z.number().int().min(0), serverTime: z.string() })
  .strict();

export const errorShape = z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }).strict();
export const failure = z.object({ ok: z.literal(false), error: errorShape }).strict();
export const success = <T extends z.ZodType>(value: T) => z.object({ ok: z.literal(true), value }).strict();

/** Routes: path -> request and response value schemas. The server registers exactly these; the client calls only these. */
export const routes = {
  '/v1/hello': { request: helloRequest, response: helloResponse },
  '/v1/push': { request: pushRequest, response: pushResponse },
  '/v1/pull': { request: pullRequest, response: pullResponse },
} as const;
export type RoutePath = keyof typeof routes;
