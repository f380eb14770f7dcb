import { z } from 'zod';
import { AppError } from '../../electron/core/errors.ts';

/**
 * The generic HTTP JSON gateway adapter. Each provider's exact API is a profile: where to POST a
 * message and under which field names, which answers mean "accepted", and where to read delivery
 * reports. Every message carries its MA_TIN as the idempotency key (a header and a body field): a
 * gateway that gets the same key twice keeps the first and answers with its id.
 */
export const gatewayProfileSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9_-]{1,40}$/).default('generic'),
    sendPath: z.string().startsWith('/').default('/send'),
    reportsPath: z.string().startsWith('/').default('/reports'),
    /** Constant headers (Authorization, ...); `{env:NAME}` is replaced by that environment variable. */
    headers: z.record(z.string(), z.string()).default({}),
    idempotencyHeader: z.string().default('Idempotency-Key'),
    /** Body field names for the message id (MA_TIN), number and text; `extra` fields sent as they are (brand name, ...). */
    fields: z.object({ id: z.string(), to: z.string(), text: z.string() }).strict().default({ id: 'id', to: 'to', text: 'text' }),
    extra: z.record(z.string(), z.string()).default({}),
    accepted: z
      .object({ statusField: z.string(), values: z.array(z.string()).min(1), idField: z.string() })
      .strict()
      .default({ statusField: 'status', values: ['accepted', 'duplicate'], idField: 'messageId' }),
    reports: z
      .object({ cursorParam: z.string(), listField: z.string(), nextField: z.string(), idField: z.string(), gatewayIdField: z.string(), statusField: z.string(), atField: z.string(), delivered: z.array(z.string()), failed: z.array(z.string()) })
      .strict()
      .default({ cursorParam: 'since', listField: 'reports', nextField: 'next', idField: 'id', gatewayIdField: 'messageId', statusField: 'status', atField: 'at', delivered: ['delivered'], failed: ['failed'] }),
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    /** Messages per second one sender hands to the gateway. */
    ratePerSecond: z.number().int().min(1).max(10_000).default(50),
  })
  .strict();
export type GatewayProfile = z.infer<typeof gatewayProfileSchema>;

export function parseGatewayProfile(json: unknown, source = 'mặc định'): GatewayProfile {
  const parsed = gatewayProfileSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError('SMS_GATEWAY_PROFILE_INVALID', `Hồ sơ cổng tin nhắn ${source} không hợp lệ: ${parsed.error.issues.slice(0, 5).map((i) => `"${i.path.join('.')}" ${i.message}`).join('; ')}.`);
  }
  return parsed.data;
}

export interface OutgoingMessage {
  maTin: string;
  msisdn: string;
  body: string;
}

/** accepted: the gateway has it (now or before); retry: nothing known (a timeout, 5xx, 429, a cut connection); rejected: it never will. */
export type SendOutcome = { kind: 'accepted'; gatewayId: string } | { kind: 'retry'; error: string } | { kind: 'rejected'; error: string };

export interface DeliveryReport {
  maTin: string;
  gatewayId: string;
  status: 'delivered' | 'failed';
  at: Date | null;
}

export interface Gateway {
  readonly name: string;
  readonly ratePerSecond: number;
  send(message: OutgoingMessage): Promise<SendOutcome>;
  /** Reports after `cursor` (null: from the start), and the cursor to ask from next time. */
  reports(cursor: string | null): Promise<{ reports: DeliveryReport[]; next: string | null }>;
}

const field = (value: unknown, name: string): unknown => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined);

export function httpGateway(baseUrl: string, profile: GatewayProfile, env: NodeJS.ProcessEnv = process.env): Gateway {
  const base = new URL(baseUrl);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new AppError('CLI_BAD_ARGS', `--gateway phải là địa chỉ http(s)://… (nhận được "${baseUrl}").`);
  const headers = Object.fromEntries(Object.entries(profile.headers).map(([k, v]) => [k, v.replace(/\{env:([A-Z0-9_]+)\}/g, (_m, name: string) => env[name] ?? '')]));
  const url = (path: string) => new URL(path.replace(/^\//, ''), base.href.endsWith('/') ? base.href : `${base.href}/`);
  return {
    name: profile.name,
    ratePerSecond: profile.ratePerSecond,
    async send(m) {
      const body = { ...profile.extra, [profile.fields.id]: m.maTin, [profile.fields.to]: m.msisdn, [profile.fields.text]: m.body };
      let response: Response;
      let text: string;
      try {
        response = await fetch(url(profile.sendPath), {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers, [profile.idempotencyHeader]: m.maTin },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(profile.timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        // Timed out or cut: the gateway may have it. Sent again later with the same key.
        return { kind: 'retry', error: `${(error as Error).name}: ${(error as Error).message}` };
      }
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        // not JSON: judged by the status alone
      }
      const status = response.status;
      if (status === 408 || status === 429 || status >= 500) return { kind: 'retry', error: `HTTP ${status}` };
      const said = field(json, profile.accepted.statusField);
      const id = field(json, profile.accepted.idField);
      if (response.ok && typeof said === 'string' && profile.accepted.values.includes(said) && (typeof id === 'string' || typeof id === 'number')) {
        return { kind: 'accepted', gatewayId: String(id) };
      }
      if (response.ok) return { kind: 'retry', error: `HTTP ${status} without an acceptance: ${text.slice(0, 200)}` };
      return { kind: 'rejected', error: `HTTP ${status}: ${text.slice(0, 200)}` };
    },
    async reports(cursor) {
      const target = url(profile.reportsPath);
      if (cursor !== null) target.searchParams.set(profile.reports.cursorParam, cursor);
      const response = await fetch(target, { headers, signal: AbortSignal.timeout(profile.timeoutMs) });
      if (!response.ok) throw new AppError('SMS_GATEWAY_REPORTS_FAILED', `Cổng tin nhắn trả lời HTTP ${response.status} khi đọc báo cáo gửi: thử lại sau.`);
      const json = (await response.json()) as unknown;
      const list = field(json, profile.reports.listField);
      const next = field(json, profile.reports.nextField);
      const r = profile.reports;
      const reports: DeliveryReport[] = [];
      for (const item of Array.isArray(list) ? list : []) {
        const maTin = field(item, r.idField);
        const gatewayId = field(item, r.gatewayIdField);
        const status = String(field(item, r.statusField));
        const at = field(item, r.atField);
        if (typeof maTin !== 'string' || (typeof gatewayId !== 'string' && typeof gatewayId !== 'number')) continue;
        const kind = r.delivered.includes(status) ? 'delivered' : r.failed.includes(status) ? 'failed' : null;
        if (kind === null) continue; // an interim state (queued at the operator, ...)
        const when = typeof at === 'string' ? new Date(at) : null;
        reports.push({ maTin, gatewayId: String(gatewayId), status: kind, at: when !== null && !Number.isNaN(when.getTime()) ? when : null });
      }
      return { reports, next: typeof next === 'string' || typeof next === 'number' ? String(next) : cursor };
    },
  };
}
