import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { emailFilesSource } from '../../src/sources/email/email-files-source.ts';
import { corporaMissing, corpusPath } from '../support/corpora.ts';
import { renderLabReport } from '../support/lab-report-pdf.ts';

/** A multipart message carrying the given PDFs as base64 attachments. */
function emailWithPdfs(pdfs: { name: string; bytes: Buffer }[]): Buffer {
  const boundary = 'memtape-test-boundary';
  const parts = pdfs.map(
    (pdf) =>
      `--${boundary}\r\nContent-Type: application/pdf; name="${pdf.name}"\r\n` +
      `Content-Disposition: attachment; filename="${pdf.name}"\r\n` +
      `Content-Transfer-Encoding: base64\r\n\r\n${pdf.bytes.toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n`,
  );
  return Buffer.from(
    'From: Clinic <results@clinic.example>\r\nTo: dana@example.com\r\n' +
      'Subject: Your lab results\r\nDate: Tue, 14 Mar 2023 09:00:00 +0000\r\n' +
      `Message-ID: <labs@clinic.example>\r\nMIME-Version: 1.0\r\n` +
      `Content-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n` +
      `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease find your results attached.\r\n` +
      `${parts.join('')}--${boundary}--\r\n`,
  );
}

const labReport = () =>
  renderLabReport(
    {
      lab: 'Northside Clinical Laboratory',
      patient: 'Dana Whitfield',
      birthDate: '1980-05-02',
      collectedAt: new Date('2023-03-13T08:30:00Z'),
      results: [
        {
          code: '4548-4',
          analyte: 'Hemoglobin A1c',
          value: 6.4,
          valueText: '6.4',
          unit: '%',
          low: 4,
          high: 5.6,
          flag: 'H',
        },
        {
          code: '2345-7',
          analyte: 'Glucose',
          value: 104,
          valueText: '104',
          unit: 'mg/dL',
          low: 70,
          high: 99,
          flag: 'H',
        },
      ],
    },
    'table',
  );

test('a PDF attachment is read: its text joins the message and lab results become observations', async () => {
  const item = await emailFilesSource.parse(
    emailWithPdfs([{ name: 'results.pdf', bytes: await labReport() }]),
    'labs.eml',
  );
  assert.match(item.text, /Please find your results attached\./);
  assert.match(item.text, /Attachment results\.pdf:\n[\s\S]*Hemoglobin A1c/);
  const values = (item.observations ?? []).map((o) => `${o.analyte}=${o.valueNumber} ${o.unit}`);
  assert.deepEqual(values.sort(), ['Glucose=104 mg/dL', 'Hemoglobin A1c=6.4 %']);
  assert.ok(item.observations?.every((o) => o.key.startsWith('attachment-0/')));
  assert.equal(item.attachments?.length, 1, 'the PDF is still kept as an attachment');
});

test('an unreadable PDF is noted and the message still parses', {
  skip: corporaMissing,
}, async () => {
  const files = JSON.parse(
    await readFile(corpusPath('pdf', 'py-pdf-sample-files', 'files.json'), 'utf8'),
  ).data as { path: string; encrypted: boolean }[];
  const encrypted = files.find((file) => file.encrypted);
  assert.ok(encrypted, 'the corpus has an encrypted sample');
  const bytes = await readFile(corpusPath('pdf', 'py-pdf-sample-files', encrypted.path));
  const item = await emailFilesSource.parse(
    emailWithPdfs([{ name: 'locked.pdf', bytes }]),
    'locked.eml',
  );
  assert.match(item.text, /Attachment locked\.pdf: not readable \(.*password-protected/);
  assert.deepEqual(item.observations, []);
  // The same mail under another name reads the same, so exact dedup still joins the copies.
  const copy = await emailFilesSource.parse(
    emailWithPdfs([{ name: 'locked.pdf', bytes }]),
    'copies/locked-again.eml',
  );
  assert.equal(copy.text, item.text);
});
