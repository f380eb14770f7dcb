import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import { foldMarks, MAX_SEPTETS, unsafeCharacters } from './gsm7.ts';

/**
 * The SMS template profile (contract section 6): for each message type an ordered list of templates,
 * longest first; a message uses the first one whose values are all there and that fits in one SMS.
 * Checked whole at load, so a profile that loads always gives one GSM-7 message per notice.
 */
export const SMS_TYPES = ['XNTT', 'TBTD', 'NHACNO', 'TBCD'] as const;
/** XNTT payment confirmation, TBTD bill notice, NHACNO overdue reminder, TBCD cut notice. */
export type SmsType = (typeof SMS_TYPES)[number];

/**
 * What a template may say, with the longest text each value can have (the load check adds these
 * up). Never a name or an address: personal data stays out of SMS.
 */
export const PLACEHOLDERS = {
  amount: 21, // đồng with dot groups, up to Number.MAX_SAFE_INTEGER: 9.007.199.254.740.991
  kwh: 21, // same grouping
  code: 16, // MA_KHANG
  unit: 10, // MA_DVIQLY
  point: 20, // MA_DIEMTHU
  receipt: 30, // <point>-<yy>-<6 digits>
  period: 15, // 11/2026, 11/2026 ky 2, 9-11/2026, 12/2025-11/2026
  due: 10, // dd/MM/yyyy
  time: 16, // HH:mm dd/MM/yyyy
} as const;
export type Placeholder = keyof typeof PLACEHOLDERS;

/** Per type: the values every message has, and those a message may lack (then a template without them is used). */
export const TYPE_PLACEHOLDERS: Readonly<Record<SmsType, { always: readonly Placeholder[]; sometimes: readonly Placeholder[] }>> = {
  XNTT: { always: ['amount', 'code', 'unit', 'point', 'receipt', 'time'], sometimes: ['period'] }, // a fee charged here has no period
  TBTD: { always: ['amount', 'code', 'unit', 'period'], sometimes: ['kwh', 'due'] }, // DIEN_TTHU, HAN_TTOAN are optional columns
  NHACNO: { always: ['amount', 'code', 'unit', 'period', 'due'], sometimes: [] },
  TBCD: { always: ['code', 'unit'], sometimes: ['amount', 'period'] }, // a cut customer may owe nothing in the snapshot
};

export type TemplatePart = string | { name: Placeholder };

export interface SmsTemplate {
  id: string; // MA_MAU
  parts: readonly TemplatePart[];
  uses: readonly Placeholder[];
}

export type SmsProfile = Readonly<Record<SmsType, readonly SmsTemplate[]>>;

const templateSchema = z.object({ id: z.string().regex(/^[A-Z0-9_]{1,20}$/), text: z.string().min(1).max(1000) }).strict();
const templateList = z.array(templateSchema).min(1).max(20);
const profileSchema = z
  .object({
    formatVersion: z.literal(1),
    templates: z.object({ XNTT: templateList, TBTD: templateList, NHACNO: templateList, TBCD: templateList }).strict(),
  })
  .strict();
export type SmsProfileJson = z.infer<typeof profileSchema>;

const PLACEHOLDER = /\{([^{}]*)\}/g;
const PERSONAL = /ten|name|dchi|dia_?chi|addr/i;
const FORMULA_START = /^[=+\-@]/;

const isPlaceholder = (name: string): name is Placeholder => Object.hasOwn(PLACEHOLDERS, name);

/** A template's text, folded, cut into fixed text and placeholders; problems in Vietnamese. */
function compile(type: SmsType, id: string, rawText: string, problems: string[]): SmsTemplate {
  const text = foldMarks(rawText).trim();
  const allowed = new Set([...TYPE_PLACEHOLDERS[type].always, ...TYPE_PLACEHOLDERS[type].sometimes]);
  const parts: TemplatePart[] = [];
  const uses = new Set<Placeholder>();
  let fixed = '';
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    fixed += text.slice(last, m.index);
    parts.push(text.slice(last, m.index));
    last = m.index + m[0].length;
    const name = m[1] ?? '';
    if (PERSONAL.test(name)) {
      problems.push(`mẫu ${id}: {${name}} là dữ liệu cá nhân (tên, địa chỉ), không được gửi trong tin nhắn`);
    } else if (!isPlaceholder(name) || !allowed.has(name)) {
      problems.push(`mẫu ${id}: không có chỗ điền {${name}} cho loại ${type} (dùng được: ${[...allowed].map((p) => `{${p}}`).join(', ')})`);
    } else {
      parts.push({ name });
      uses.add(name);
    }
  }
  fixed += text.slice(last);
  parts.push(text.slice(last));
  const unsafe = unsafeCharacters(fixed);
  if (unsafe.length > 0) {
    problems.push(`mẫu ${id}: ký tự ${unsafe.map((c) => JSON.stringify(c)).join(' ')} không thuộc phần bảng GSM-7 được dùng (chữ không dấu, số, khoảng trắng và !"#%&'()*+,-./:;<=>?)`);
  }
  if (FORMULA_START.test(text)) problems.push(`mẫu ${id}: không được bắt đầu bằng = + - @ (bảng tính đọc đó là công thức)`);
  if (fixed.length > MAX_SEPTETS) problems.push(`mẫu ${id}: riêng phần chữ cố định đã dài ${fixed.length} ký tự (tối đa ${MAX_SEPTETS})`);
  return { id, parts: parts.filter((p) => p !== ''), uses: [...uses] };
}

/** The longest text a template can give: fixed text plus each placeholder's longest value. */
export function worstLength(template: SmsTemplate): number {
  return template.parts.reduce((n, p) => n + (typeof p === 'string' ? p.length : PLACEHOLDERS[p.name]), 0);
}

/** The last template of a type must always work: only values every message has, and never too long. */
function checkLast(type: SmsType, last: SmsTemplate, problems: string[]): void {
  const missing = last.uses.filter((p) => !TYPE_PLACEHOLDERS[type].always.includes(p));
  if (missing.length > 0) {
    problems.push(`mẫu cuối của loại ${type} (${last.id}) chỉ được dùng chỗ điền luôn có giá trị, không dùng ${missing.map((p) => `{${p}}`).join(', ')}`);
  }
  const worst = worstLength(last);
  if (worst > MAX_SEPTETS) {
    problems.push(`mẫu cuối của loại ${type} (${last.id}) phải luôn vừa một tin nhắn: với giá trị dài nhất nó dài ${worst} ký tự (tối đa ${MAX_SEPTETS})`);
  }
}

/** Parses and checks a profile given as JSON text; every problem is listed, in Vietnamese. */
/** `source` names the profile in messages (its path, or `mặc định`). */
export function parseSmsProfile(jsonText: string, source = 'mặc định'): SmsProfile {
  let json: unknown;
  try {
    json = JSON.parse(jsonText.replace(/^\uFEFF/, ''));
  } catch {
    throw new AppError('SMS_PROFILE_UNREADABLE', `Không đọc được hồ sơ mẫu tin nhắn ${source}: tệp không phải JSON hợp lệ.`);
  }
  const parsed = profileSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `trường "${i.path.join('.') || '(gốc)'}" không đúng dạng`);
    throw new AppError(
      'SMS_PROFILE_INVALID',
      `Hồ sơ mẫu tin nhắn ${source} không hợp lệ: ${fields.join('; ')}. Cần {"formatVersion": 1, "templates": {"XNTT": [{"id": "…", "text": "…"}], "TBTD": […], "NHACNO": […], "TBCD": […]}}, mã mẫu gồm A-Z, 0-9, _ (tối đa 20).`,
      { problems: fields },
    );
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  const profile = {} as Record<SmsType, SmsTemplate[]>;
  for (const type of SMS_TYPES) {
    profile[type] = parsed.data.templates[type].map((t) => {
      if (seen.has(t.id)) problems.push(`mã mẫu ${t.id} dùng hai lần`);
      seen.add(t.id);
      return compile(type, t.id, t.text, problems);
    });
    checkLast(type, profile[type][profile[type].length - 1]!, problems);
  }
  if (problems.length > 0) {
    throw new AppError('SMS_PROFILE_INVALID', `Hồ sơ mẫu tin nhắn ${source} không hợp lệ: ${problems.join('; ')}.`, { problems });
  }
  return profile;
}

/**
 * The message of a type from its values: the first template whose placeholders all have a value and
 * whose text fits in one SMS. Values must be safe text no longer than their PLACEHOLDERS length
 * (the builders see to it); then a profile that loaded always gives a message.
 */
export function render(profile: SmsProfile, type: SmsType, values: Partial<Record<Placeholder, string>>): { templateId: string; text: string } {
  for (const template of profile[type]) {
    if (!template.uses.every((p) => values[p] !== undefined)) continue;
    let text = '';
    for (const part of template.parts) text += typeof part === 'string' ? part : values[part.name];
    if (text.length <= MAX_SEPTETS) return { templateId: template.id, text };
  }
  throw new RangeError(`no ${type} template fits these values: ${JSON.stringify(values)}`);
}
