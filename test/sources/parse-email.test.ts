import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ParseError } from '../../src/shared/errors.ts';
import { parseEmail } from '../../src/sources/email/parse-email.ts';
import { corpusPath, corporaMissing as skip } from '../support/corpora.ts';

const corpus = corpusPath('email');

const fixtureFolders = [
  { folder: 'mailparser/test/fixtures', pattern: /\.eml$/ },
  { folder: 'postal-mime/test/fixtures', pattern: /\.eml$/ },
  { folder: 'cpython-test_email', pattern: /^msg_.*\.txt$/ },
];

function fixture(relativePath: string): Buffer {
  return readFileSync(path.join(corpus, relativePath));
}

async function parseFixture(relativePath: string) {
  return parseEmail(fixture(relativePath), path.basename(relativePath));
}

async function rejectsWithParseError(promise: Promise<unknown>, problem: RegExp) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ParseError);
    assert.match(error.message, problem);
    return true;
  });
}

test('every fixture parses to content or is quarantined with a ParseError', { skip }, async (t) => {
  const files = fixtureFolders.flatMap(({ folder, pattern }) =>
    readdirSync(path.join(corpus, folder))
      .filter((name) => pattern.test(name))
      .map((name) => path.join(folder, name)),
  );
  assert.ok(files.length >= 60, `only ${files.length} fixtures found`);
  const quarantined: string[] = [];
  for (const file of files) {
    try {
      const email = await parseFixture(file);
      assert.ok(email.subject || email.text || email.attachments.length > 0, `${file} is empty`);
    } catch (error) {
      assert.ok(error instanceof ParseError, `${file}: ${String(error)}`);
      quarantined.push(`${path.basename(file)} (${error.message.split(': ').slice(1).join(': ')})`);
    }
  }
  t.diagnostic(
    `parse-email: ${files.length - quarantined.length} parsed, ${quarantined.length} quarantined` +
      ` of ${files.length} fixtures: ${quarantined.join('; ')}`,
  );
});

test('turns an HTML-only mail into clean text', { skip }, async () => {
  const email = await parseFixture('mailparser/test/fixtures/spam.eml');
  assert.match(email.text, /^Im Jahre 2007 wurde er als „asozialer Penner“ beschimpft!/);
  assert.match(email.text, /Straße und lebte unter der Brücke/);
  assert.doesNotMatch(email.text, /<\/?[a-z][^>]*>|&[a-z]+;/i);
});

test('converts an HTML body that sits next to an attachment', async () => {
  // mailparser itself gives no text for this layout: HTML in multipart/mixed, no plain part.
  const message = Buffer.from(
    'From: a@example.com\r\nSubject: Report\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n' +
      '--B\r\nContent-Type: text/html; charset=utf-8\r\n\r\n' +
      '<style>p { color: red }</style><p>Hello&nbsp;<b>there</b></p><img src="cid:logo" alt="logo">' +
      '<ul><li>one</li><li>two</li></ul>\r\n' +
      '--B\r\nContent-Type: application/pdf; name=report.pdf\r\nContent-Transfer-Encoding: base64\r\n' +
      'Content-Disposition: attachment; filename=report.pdf\r\n\r\nJVBERi0=\r\n--B--\r\n',
  );
  const email = await parseEmail(message, 'report.eml');
  assert.equal(email.text, 'Hello there\n\n * one\n * two');
  assert.deepEqual(email.attachments, [
    {
      filename: 'report.pdf',
      contentType: 'application/pdf',
      contentId: undefined,
      inline: false,
      // No part has the Content-ID the <img> names.
      shownInHtml: false,
      bytes: Buffer.from('%PDF-'),
    },
  ]);
});

test('leaves images out of text converted from HTML', { skip }, async () => {
  const email = await parseFixture('mailparser/test/fixtures/outofmemory.eml');
  assert.match(email.text, /^\$1 MILLION IN LIFE INSURANCE COVERAGE/);
  assert.doesNotMatch(email.text, /\.jpg|<img/i);
});

test('decodes encoded-word subjects and reads addresses and dates', { skip }, async () => {
  const email = await parseFixture('mailparser/test/fixtures/nodemailer.eml');
  assert.equal(email.subject, 'Nodemailer is unicode friendly ✔ (1476358788189)');
  assert.deepEqual(email.from, [{ name: 'Andris Kreata', address: 'andris@kreata.ee' }]);
  assert.deepEqual(email.to, [
    { name: 'Andris Reinman', address: 'andris+123@kreata.ee' },
    { address: 'andris.reinman@gmail.com' },
  ]);
  assert.equal(email.date?.toISOString(), '2016-10-13T11:39:48.000Z');
  assert.equal(email.messageId, '<012d606e-3550-2d94-b566-6cd996de88e3@kreata.ee>');
});

test('reads thread headers', { skip }, async () => {
  const email = await parseFixture('mailparser/test/fixtures/large_text.eml');
  assert.deepEqual(email.references, [
    '<20090529095654.29876.20294.malonedeb@gangotri.canonical.com>',
  ]);
  assert.equal(email.messageId, '<20110803174319.6306.2052.malone@wampee.canonical.com>');
});

test('returns attachments with their decoded bytes, type and name', { skip }, async () => {
  const fish = await parseFixture('cpython-test_email/msg_07.txt');
  assert.equal(fish.text, 'Hi there,\n\nThis is the dingus fish.');
  // The fixture's base64 part decoded on its own, to compare mailparser's bytes against.
  const base64 = /filename="dingusfish\.gif"\n\n([A-Za-z0-9+/=\n]+)\n--BOUNDARY--/.exec(
    fixture('cpython-test_email/msg_07.txt').toString('latin1'),
  )?.[1];
  assert.ok(base64, 'the fixture holds the GIF as base64');
  const gif = Buffer.from(base64, 'base64');
  assert.equal(gif.length, 3512);
  assert.equal(gif.subarray(0, 6).toString('latin1'), 'GIF87a');
  assert.deepEqual(fish.attachments, [
    {
      filename: 'dingusfish.gif',
      contentType: 'image/gif',
      contentId: undefined,
      inline: false,
      shownInHtml: false,
      bytes: gif,
    },
  ]);
});

test('tells images the HTML shows by cid: from files the sender attached', { skip }, async () => {
  const nodemailer = await parseFixture('mailparser/test/fixtures/nodemailer.eml');
  const summary = nodemailer.attachments.map(({ filename, contentType, inline, shownInHtml }) => ({
    filename,
    contentType,
    inline,
    shownInHtml,
  }));
  assert.deepEqual(summary, [
    // Apple Watch's body alternative: mailparser hands it on as an attachment.
    { filename: undefined, contentType: 'text/watch-html', inline: false, shownInHtml: false },
    { filename: 'image.png', contentType: 'image/png', inline: true, shownInHtml: true },
    { filename: 'nyan cat ✔.gif', contentType: 'image/gif', inline: true, shownInHtml: true },
    { filename: 'notes.txt', contentType: 'text/plain', inline: false, shownInHtml: false },
  ]);
  const image = nodemailer.attachments[1];
  assert.equal(image?.contentId, 'note@example.com');
  assert.equal(image?.bytes.length, 126);
  assert.deepEqual(image?.bytes.subarray(0, 8), Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'));
  assert.equal(nodemailer.attachments[3]?.bytes.toString(), 'Some notes about this e-mail');
});

test('decodes base64 UTF-8 and legacy charset bodies', { skip }, async () => {
  const invite = await parseFixture('postal-mime/test/fixtures/calendar-event.eml');
  assert.match(invite.text, /^Test event ⏰\nThursday Apr 11, 2024 ⋅ 11am – 12pm\n/);
  const latin1 = Buffer.from(
    'From: a@example.com\r\nSubject: =?iso-8859-1?q?Gr=FC=DFe?=\r\n' +
      'Content-Type: text/plain; charset=iso-8859-1\r\n' +
      'Content-Transfer-Encoding: quoted-printable\r\n\r\nGr=FC=DFe aus M=FCnchen\r\n',
  );
  const email = await parseEmail(latin1, 'latin1.eml');
  assert.equal(email.subject, 'Grüße');
  assert.equal(email.text, 'Grüße aus München');
});

test('quarantines text without headers and binary data', { skip }, async () => {
  await rejectsWithParseError(parseFixture('cpython-test_email/msg_19.txt'), /no message headers/);
  await rejectsWithParseError(parseFixture('cpython-test_email/python.png'), /no message headers/);
  await rejectsWithParseError(parseEmail(Buffer.alloc(0), 'empty.eml'), /no message headers/);
});

test('quarantines a message without any content', { skip }, async () => {
  await rejectsWithParseError(
    parseFixture('cpython-test_email/msg_18.txt'),
    /no subject, body text or attachments/,
  );
});

test('refuses messages over the size cap before parsing', async () => {
  const message = Buffer.from('Subject: big\r\n\r\n'.padEnd(2000, 'x'));
  await rejectsWithParseError(
    parseEmail(message, 'big.eml', { maxBytes: 1000 }),
    /over the 1000-byte limit/,
  );
});

test('gives up on a parse that exceeds the time limit', { skip }, async () => {
  await rejectsWithParseError(
    parseEmail(fixture('mailparser/test/fixtures/large_text.eml'), 'large_text.eml', {
      timeoutMs: 1,
    }),
    /longer than 1 ms/,
  );
});
