import { readFileSync } from 'node:fs';
import { parseSmsProfile, type SmsProfile } from '../../electron/sms/profile.ts';
import { noticeBuilder, type NoticeType, type SmsCustomer, type SmsOptions, type SmsOutcome } from '../../electron/sms/messages.ts';

export const DEFAULT_PROFILE_TEXT = readFileSync(new URL('../../electron/sms/profile-default.json', import.meta.url), 'utf8');
export const defaultProfile: SmsProfile = parseSmsProfile(DEFAULT_PROFILE_TEXT, 'electron/sms/profile-default.json');

/** 14:00 on 27/11/2026, Việt Nam time. */
export const MADE_AT = new Date('2026-11-27T07:00:00.000Z');

/** The notices of one customer with the default profile. */
export function notices(customer: SmsCustomer, options: SmsOptions & { types?: readonly NoticeType[] }): SmsOutcome[] {
  return noticeBuilder(defaultProfile, options)(customer);
}
