import type { ApiClient } from '../api/api-client.ts';
import { type AuditAction, auditActions } from '../audit/audit-log.ts';
import { InvalidInputError } from '../shared/errors.ts';
import type { PrivacySettings } from './privacy.ts';

export const privacyUsage = `  privacy show                            the tenant's redaction and encryption settings
  privacy set [redact=on|off] [encrypt=on|off]
                                          for data written from now on (re-ingest to apply)
  reveal <text...>                        replace redaction tokens by their values (audited)
  export --user U                         the user's memory as JSON Lines on stdout (audited)
  audit [--since DATE] [--action A] [--limit N]
                                          the tenant's audit log, newest first`;

const settingNames: Record<string, keyof PrivacySettings> = {
  redact: 'redactPersonalData',
  encrypt: 'encryptRawData',
};

/** `redact=on encrypt=off` to a settings change; anything else is refused by name. */
export function parsePrivacyChange(assignments: readonly string[]): Partial<PrivacySettings> {
  const change: Partial<PrivacySettings> = {};
  for (const assignment of assignments) {
    const [name = '', value] = assignment.split('=');
    const setting = settingNames[name];
    if (!setting || (value !== 'on' && value !== 'off')) {
      throw new InvalidInputError(
        `privacy set: "${assignment}" is not redact=on|off or encrypt=on|off`,
      );
    }
    change[setting] = value === 'on';
  }
  if (Object.keys(change).length === 0) {
    throw new InvalidInputError('privacy set needs redact=on|off, encrypt=on|off or both');
  }
  return change;
}

/** `memtape privacy show|set`. */
export async function runPrivacyCommand(api: ApiClient, [subcommand, ...rest]: string[]) {
  switch (subcommand) {
    case 'show':
      return api.privacySettings();
    case 'set':
      return api.updatePrivacySettings(parsePrivacyChange(rest));
    default:
      throw new InvalidInputError(`privacy needs show or set\n\n${privacyUsage}`);
  }
}

/** `memtape audit`: the options as the audit route takes them, checked before sending. */
export function auditFilter(options: { since?: string; action?: string; limit?: string }) {
  if (options.action && !auditActions.includes(options.action as AuditAction)) {
    throw new InvalidInputError(
      `audit --action must be one of ${auditActions.join(', ')}, not "${options.action}"`,
    );
  }
  return {
    since: options.since,
    action: options.action as AuditAction | undefined,
    limit: options.limit === undefined ? undefined : Number(options.limit),
  };
}
