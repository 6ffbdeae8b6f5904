import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ParseError } from '../../../src/shared/errors.ts';
import { parseSlackExport } from '../../../src/sources/chat/slack.ts';
import { openZipFiles } from '../../../src/sources/chat/zip-files.ts';
import { corpusPath, corporaMissing as skip } from '../../support/corpora.ts';
import { buildZip } from './zip-builder.ts';

const archive = corpusPath('chat', 'slack-export-viewer', 'tests', 'testarchive.zip');
let scratch: string;

before(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'memtape-slack-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function writeTree(root: string, files: Record<string, unknown>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    const data = typeof content === 'string' ? content : JSON.stringify(content);
    await writeFile(path.join(root, name), data);
  }
}

test('reads every message of the slack-export-viewer archive with names resolved', {
  skip,
}, async (t) => {
  const { messages, issues } = await parseSlackExport(archive);
  assert.deepEqual(issues, []);
  // 158 records in the 17 day files of the archive (counted independently of this parser).
  assert.equal(messages.length, 158);
  assert.deepEqual(
    [...new Set(messages.map((message) => message.channel))],
    ['#enrique', '#traveling-sailor'],
  );
  const texts = messages.map((message) => message.text).join('\n');
  assert.doesNotMatch(texts, /<@U0|U0BM[A-Z0-9]+>/, 'user ids are resolved');
  assert.match(texts, /^@Harry Potter: Created an issue for a setup\.py/m);
  assert.ok(messages.some((message) => message.author === 'Hermione Granger'));
  assert.equal(messages.filter((message) => message.system).length, 11, '8 joins, 3 bot adds');
  assert.equal(messages.filter((message) => message.edited).length, 1);
  const files = messages.flatMap((message) => message.attachments.map((file) => file.name));
  assert.deepEqual(files, ['100_cities.js', '10_cities.js', '10_cities.js', 'cities1000.js']);
  const bot = messages.find((message) => message.id === 'C0JGLMMNX:1454892394.000004');
  assert.match(bot?.text ?? '', /^\[enrique:master\] 1 new commit by Anthony Bilinski:\ned1acbe/);
  assert.equal(new Set(messages.map((message) => message.id)).size, messages.length);
  t.diagnostic(`slack: ${messages.length}/158 messages of testarchive.zip, 0 issues`);
});

test('an unzipped export reads the same as the zip', { skip }, async () => {
  const folder = path.join(scratch, 'unzipped');
  const zip = await openZipFiles(archive);
  try {
    for (const name of zip.names) {
      await mkdir(path.dirname(path.join(folder, name)), { recursive: true });
      await writeFile(path.join(folder, name), await zip.read(name));
    }
  } finally {
    zip.close();
  }
  const fromFolder = await parseSlackExport(folder);
  const fromZip = await parseSlackExport(archive);
  assert.deepEqual(fromFolder.messages, fromZip.messages);
});

test('threads, new-style files, mentions and broken day files', async () => {
  const root = path.join(scratch, 'workspace');
  await writeTree(root, {
    'users.json': [{ id: 'U1', name: 'ana', profile: { real_name: 'Ana Lima' } }],
    'channels.json': [{ id: 'C1', name: 'general' }],
    'dms.json': [{ id: 'D1', members: ['U1', 'U2'] }],
    'general/2024-03-01.json': [
      {
        type: 'message',
        user: 'U1',
        text: 'Plan for <#C2|random>?',
        ts: '1709287200.000100',
        thread_ts: '1709287200.000100',
      },
      {
        type: 'message',
        user: 'U2',
        text: 'Yes &amp; <https://x.org|the doc>',
        ts: '1709287260.000200',
        thread_ts: '1709287200.000100',
      },
      {
        type: 'message',
        user: 'U1',
        text: '',
        ts: '1709287320.000300',
        files: [{ name: 'plan.png', mimetype: 'image/png' }],
      },
      { type: 'message', text: 'no ts here' },
    ],
    'general/2024-03-02.json': '[{"type": "message", "ts": ',
    'D1/2024-03-01.json': [
      { type: 'message', user: 'U2', text: 'hi <@U1>', ts: '1709287200.000500' },
    ],
  });
  const { messages, issues } = await parseSlackExport(root);
  assert.deepEqual(
    messages.map((m) => [m.id, m.channel, m.threadId, m.author, m.text]),
    [
      ['D1:1709287200.000500', 'DM Ana Lima, U2', undefined, 'U2', 'hi @Ana Lima'],
      ['C1:1709287200.000100', '#general', undefined, 'Ana Lima', 'Plan for #random?'],
      [
        'C1:1709287260.000200',
        '#general',
        'C1:1709287200.000100',
        'U2',
        'Yes & the doc (https://x.org)',
      ],
      ['C1:1709287320.000300', '#general', undefined, 'Ana Lima', ''],
    ],
  );
  assert.deepEqual(messages[3]?.attachments, [{ name: 'plan.png', type: 'image' }]);
  assert.deepEqual(
    issues.map(({ file, record }) => ({ file, record })),
    [
      { file: 'workspace/general/2024-03-01.json', record: '[3]' },
      { file: 'workspace/general/2024-03-02.json', record: undefined },
    ],
  );
});

test('a zip with a ../evil entry is refused as a whole', async () => {
  const file = path.join(scratch, 'evil.zip');
  await writeFile(
    file,
    buildZip([
      { name: 'users.json', data: '[]' },
      { name: '../evil', data: 'x' },
    ]),
  );
  await assert.rejects(parseSlackExport(file), (error: unknown) => {
    assert.ok(error instanceof ParseError);
    assert.match(
      error.message,
      /^evil\.zip: refused zip archive \(invalid relative path: \.\.\/evil\)/,
    );
    return true;
  });
});

test('a folder without users.json or channels.json is not a Slack export', async () => {
  const root = path.join(scratch, 'not-slack');
  await writeTree(root, { 'notes/2024-01-01.json': [] });
  await assert.rejects(parseSlackExport(root), ParseError);
});
