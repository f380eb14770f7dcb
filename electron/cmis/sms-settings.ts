import type { Sqlite } from '../store/open.ts';
import { getSetting } from '../store/settings.ts';
import { parseSmsProfile, type SmsProfile } from '../sms/profile.ts';
import { DEFAULT_SMS_PROFILE } from '../sms/batch-file.ts';

export interface SmsSettings {
  profile: SmsProfile;
  optOut: ReadonlySet<string>;
}

/** The point's SMS profile (checked when set, and again here) or the shipped one, and its opt-out numbers. */
export function smsSettings(sqlite: Sqlite): SmsSettings {
  const profileText = getSetting(sqlite, 'sms_profile') ?? null;
  return {
    profile: profileText === null ? DEFAULT_SMS_PROFILE : parseSmsProfile(profileText, 'của điểm thu'),
    optOut: new Set(getSetting(sqlite, 'sms_opt_out') ?? []),
  };
}
