import { InvalidInputError } from '../shared/errors.ts';
import { chatExportSource } from './chat/chat-source.ts';
import { emailFilesSource } from './email/email-files-source.ts';
import { imapSource } from './email/imap-source.ts';
import { mboxSource } from './email/mbox-source.ts';
import { healthRecordsSource } from './health/health-records-source.ts';
import { meetingMediaSource } from './meetings/meeting-media-source.ts';
import { meetingTranscriptSource } from './meetings/transcript-source.ts';
import type { SourceKind } from './source-kind.ts';

const sourceKinds = new Map<string, SourceKind>([
  [emailFilesSource.kind, emailFilesSource as SourceKind],
  [imapSource.kind, imapSource as SourceKind],
  [mboxSource.kind, mboxSource as SourceKind],
  [chatExportSource.kind, chatExportSource as SourceKind],
  [healthRecordsSource.kind, healthRecordsSource as SourceKind],
  [meetingMediaSource.kind, meetingMediaSource as SourceKind],
  [meetingTranscriptSource.kind, meetingTranscriptSource as SourceKind],
]);

export const sourceKindNames = [...sourceKinds.keys()];

export function getSourceKind(kind: string): SourceKind {
  const sourceKind = sourceKinds.get(kind);
  if (!sourceKind) {
    throw new InvalidInputError(
      `Unknown source kind "${kind}"; known kinds: ${sourceKindNames.join(', ')}`,
    );
  }
  return sourceKind;
}

/** Validates a source's settings against its kind's schema, with a clear message. */
export function parseSourceSettings(kind: string, settings: unknown): unknown {
  const parsed = getSourceKind(kind).settingsSchema.safeParse(settings);
  if (!parsed.success) {
    throw new InvalidInputError(
      `Invalid settings for source kind "${kind}": ${parsed.error.message}`,
    );
  }
  return parsed.data;
}
