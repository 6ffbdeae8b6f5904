import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sniffContentType } from '../../src/source-admin/sniff-content-type.ts';
import { inboxExtension } from '../../src/source-admin/source-inbox.ts';
import { buildZip } from '../sources/chat/zip-builder.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'memtape-sniff-'));
});
after(() => rm(dir, { recursive: true, force: true }));

async function sniff(bytes: string | Buffer): Promise<string> {
  const file = path.join(dir, `f-${Math.random().toString(36).slice(2)}`);
  await writeFile(file, bytes);
  return sniffContentType(file);
}

test('text formats are told apart by how they start, never by a name', async () => {
  const cases: Array<[string, string]> = [
    ['\uFEFFWEBVTT\n\n00:00.000 --> 00:02.000\n<v Ann>Hello', 'text/vtt'],
    ['1\r\n00:00:01,000 --> 00:00:02,000\r\nHello\r\n', 'application/x-subrip'],
    ['0:00:01.000,0:00:02.000\nHello\n', 'text/x-sbv'],
    ['From dana@example.com Mon Jan  1 00:00:00 2024\nSubject: x\n\nbody', 'application/mbox'],
    ['Received: from x\r\nFrom: Dana <d@example.com>\r\nSubject: hi\r\n\r\nbody', 'message/rfc822'],
    ['  {"resourceType": "Bundle"}', 'application/json'],
    ['[{"speaker": "A"}]', 'application/json'],
    ['Dear diary: today nothing happened.\n', 'text/plain'],
    ['Note: not a message header block\n\nbody', 'text/plain'],
  ];
  for (const [text, type] of cases) assert.equal(await sniff(text), type, text.slice(0, 30));
});

test('binary formats by their signatures; unknown binary is octet-stream', async () => {
  assert.equal(
    await sniff(Buffer.from('%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n', 'latin1')),
    'application/pdf',
  );
  assert.equal(await sniff(buildZip([{ name: 'a.json', data: '{}' }])), 'application/zip');
  assert.equal(
    await sniff(Buffer.from([0, 159, 146, 150, 0, 255, 0, 1])),
    'application/octet-stream',
  );
  // A multi-byte character cut at the end of the sniffed head is still text.
  assert.equal(await sniff(`a${'é'.repeat(40_000)}`), 'text/plain');
});

test('each inbox kind stores a type under an extension its source lists', () => {
  assert.equal(inboxExtension('email-files', 'message/rfc822'), 'eml');
  assert.equal(inboxExtension('meeting-transcript', 'text/vtt'), 'vtt');
  assert.equal(inboxExtension('health-records', 'application/pdf'), 'pdf');
  assert.equal(inboxExtension('health-records', 'message/rfc822'), undefined);
  assert.equal(inboxExtension('chat-export', 'application/zip'), undefined);
});
