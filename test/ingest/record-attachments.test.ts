import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ingestPendingBatch } from '../../src/ingest/ingest-batch.ts';
import { snapshotSource } from '../../src/ingest/snapshot-source.ts';
import {
  openTestStores,
  type RegisteredSource,
  registerSource,
  type TestStores,
} from './test-stores.ts';

// Every byte value, so a lossy decode or a text conversion on the way would show.
const pdf = Buffer.concat([
  Buffer.from('%PDF-1.4\n'),
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
]);
const photo = Buffer.from('\xff\xd8\xff\xe0 room photo \xff\xd9', 'latin1');
const logo = Buffer.from('\x89PNG\r\n\x1a\n logo', 'latin1');

function part(headers: string[], bytes: Buffer): string {
  const base64 = bytes.toString('base64').replace(/.{76}/g, '$&\r\n');
  return [...headers, 'Content-Transfer-Encoding: base64', '', base64].join('\r\n');
}

/**
 * An HTML mail that shows its logo by cid:, carries a PDF, and, when `withPhoto`, a photo
 * marked inline that the HTML does not show (so it must be kept).
 */
function offsiteMail(withPhoto: boolean): string {
  const parts = [
    [
      'Content-Type: multipart/related; boundary=REL',
      '',
      '--REL',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>The offsite agenda is attached.</p><img src="cid:logo@example.com">',
      '--REL',
      part(['Content-Type: image/png', 'Content-ID: <logo@example.com>'], logo),
      '--REL--',
    ].join('\r\n'),
    part(
      [
        'Content-Type: application/pdf; name=agenda.pdf',
        'Content-Disposition: attachment; filename=agenda.pdf',
      ],
      pdf,
    ),
    ...(withPhoto
      ? [
          part(
            [
              'Content-Type: image/jpeg; name=room.jpg',
              'Content-Disposition: inline; filename=room.jpg',
              'Content-ID: <room@example.com>',
            ],
            photo,
          ),
        ]
      : []),
  ];
  return [
    'From: Dana <dana@example.com>',
    'Subject: Offsite agenda',
    'Message-ID: <offsite@example.com>',
    'Content-Type: multipart/mixed; boundary=MIXED',
    '',
    ...parts.map((body) => `--MIXED\r\n${body}`),
    '--MIXED--',
    '',
  ].join('\r\n');
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let stores: TestStores;
let source: RegisteredSource;
let mailFile: string;

before(async () => {
  stores = await openTestStores();
  mailFile = path.join(stores.inputDir, 'offsite.eml');
  source = await registerSource(stores, 'attachments', {
    kind: 'email-files',
    settings: { path: stores.inputDir },
  });
});
after(() => stores?.close());

/** One ingestion run of the source, as the workflow's activities run it. */
async function ingest(): Promise<void> {
  const runId = await source.beginRun();
  await snapshotSource(stores.deps, runId);
  const batch = await ingestPendingBatch(stores.deps, runId);
  assert.equal(batch.ingested, 1);
}

async function attachmentRows() {
  const { prisma } = stores.services.metadata;
  const document = await prisma.document.findFirstOrThrow({
    where: { sourceId: source.sourceId },
    select: { id: true, status: true },
  });
  assert.equal(document.status, 'ingested');
  return prisma.attachment.findMany({
    where: { documentId: document.id },
    orderBy: { ordinal: 'asc' },
    select: {
      ordinal: true,
      filename: true,
      contentType: true,
      size: true,
      rawKey: true,
      contentId: true,
      inline: true,
    },
  });
}

test('records each attachment with its bytes in the raw store, not the images the HTML shows', async () => {
  await writeFile(mailFile, offsiteMail(true));
  await ingest();
  assert.deepEqual(await attachmentRows(), [
    {
      ordinal: 0,
      filename: 'agenda.pdf',
      contentType: 'application/pdf',
      size: pdf.length,
      rawKey: sha256(pdf),
      contentId: null,
      inline: false,
    },
    {
      ordinal: 1,
      filename: 'room.jpg',
      contentType: 'image/jpeg',
      size: photo.length,
      rawKey: sha256(photo),
      contentId: 'room@example.com',
      inline: true,
    },
  ]);
  const { raw } = stores.services;
  assert.deepEqual(await raw.get(source.tenantId, sha256(pdf)), pdf);
  assert.deepEqual(await raw.get(source.tenantId, sha256(photo)), photo);
  assert.equal(await raw.has(source.tenantId, sha256(logo)), false);
});

test('a changed message replaces its attachment rows', async () => {
  await writeFile(mailFile, offsiteMail(false));
  await ingest();
  const rows = await attachmentRows();
  assert.deepEqual(
    rows.map((row) => [row.ordinal, row.filename, row.rawKey]),
    [[0, 'agenda.pdf', sha256(pdf)]],
  );
});
