import path from 'node:path';
import { assertTenantId } from '../shared/tenant-id.ts';

/**
 * Why an inbox and not uploads straight into the raw store: sources list their items on every
 * sync and the ingestion snapshot streams each into the content-addressed raw store, so an
 * uploaded file has to be a file the source lists, and a deleted upload has to be a file that
 * is no longer listed. An inbox source's path is set by the server to this directory; clients
 * never name it, and files in it are named by upload id, never by a client's file name.
 */
export function inboxDirectory(dataDir: string, tenantId: string, sourceId: string): string {
  return path.join(inboxRoot(dataDir), assertTenantId(tenantId), sourceId);
}

/** Where uploads are written while they stream, beside the inboxes so a rename moves them. */
export function partialUploadsDirectory(dataDir: string): string {
  return path.join(inboxRoot(dataDir), '.partial');
}

function inboxRoot(dataDir: string): string {
  return path.join(dataDir, 'inbox');
}

/**
 * The kinds that read a folder of files, with the types they read and the extension an
 * uploaded file of that type is stored with (the extension is how the source lists it).
 * Chat exports are one file or folder per source, so they are not inboxes.
 */
const inboxFileTypes: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'email-files': { 'message/rfc822': 'eml' },
  'mbox-files': { 'application/mbox': 'mbox' },
  'meeting-audio': {
    'audio/wav': 'wav',
    'audio/mpeg': 'mp3',
    'audio/x-m4a': 'm4a',
    'audio/mp4': 'm4a',
    'video/mp4': 'mp4',
    'audio/ogg': 'ogg',
    'video/ogg': 'ogg',
    'video/webm': 'webm',
  },
  'meeting-transcript': {
    'text/vtt': 'vtt',
    'application/x-subrip': 'srt',
    'text/x-sbv': 'sbv',
    'application/json': 'json',
  },
  'health-records': { 'application/pdf': 'pdf', 'application/json': 'json' },
};

export const inboxKinds = Object.keys(inboxFileTypes);

export function acceptsInbox(kind: string): boolean {
  return kind in inboxFileTypes;
}

/** The extension an upload of `contentType` gets in an inbox of `kind`, if that kind reads it. */
export function inboxExtension(kind: string, contentType: string): string | undefined {
  return inboxFileTypes[kind]?.[contentType];
}

export function acceptedTypes(kind: string): string[] {
  return Object.keys(inboxFileTypes[kind] ?? {});
}
