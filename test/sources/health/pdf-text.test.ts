import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, test } from 'node:test';
import { ParseError } from '../../../src/shared/errors.ts';
import { extractPdfText } from '../../../src/sources/health/pdf-text.ts';
import { corporaMissing, corpusPath } from '../../support/corpora.ts';

interface SampleFile {
  path: string;
  pages: number;
  encrypted: boolean;
}

const samples = (...parts: string[]) => corpusPath('pdf', 'py-pdf-sample-files', ...parts);
const read = (file: string) => readFile(samples(file));

/** py-pdf's sample PDFs, as their files.json describes them. */
describe('PDF text through pdf-parse', { skip: corporaMissing }, () => {
  let files: SampleFile[];
  before(async () => {
    files = JSON.parse(await readFile(samples('files.json'), 'utf8')).data;
  });

  test('an encrypted PDF fails with a clear error, not garbage', async () => {
    const encrypted = files.filter((file) => file.encrypted);
    assert.ok(encrypted.length > 0);
    for (const file of encrypted) {
      await assert.rejects(
        extractPdfText(await read(file.path), file.path),
        (error: unknown) =>
          error instanceof ParseError &&
          error.message ===
            `${file.path}: PDF is password-protected (encrypted); remove the password and add the file again`,
      );
    }
  });

  test('every other sample gives text of all its pages or a ParseError naming it', async (t) => {
    let withText = 0;
    for (const file of files.filter((each) => !each.encrypted)) {
      const bytes = await read(file.path).catch(() => undefined);
      if (!bytes) continue; // files.json lists one file the published corpus does not ship
      try {
        const { text, pages } = await extractPdfText(bytes, file.path);
        assert.equal(pages, file.pages, file.path);
        assert.match(text, /\p{L}{2}/u, file.path);
        withText += 1;
      } catch (error) {
        assert.ok(error instanceof ParseError, `${file.path}: ${(error as Error).message}`);
        assert.ok(error.message.startsWith(`${file.path}: `));
        t.diagnostic(error.message);
      }
    }
    assert.ok(withText >= 20, `${withText} samples gave text`);
  });

  test('two columns are read column by column, not across', async () => {
    const { text } = await extractPdfText(
      await read('026-latex-multicolumn/multicolumn.pdf'),
      'multicolumn.pdf',
    );
    // Consecutive lines of the left column stay consecutive.
    assert.ok(text.includes('consectetuer adip-\niscing elit. Ut purus elit'));
    assert.ok(text.includes('orci dig-\nnissim rutrum.\nNam dui ligula'));
    // Column lines are at most ~57 characters; only the full-width table at the end is wider.
    const columnText = text.slice(0, text.indexOf('Country Population'));
    assert.ok(
      columnText.split('\n').every((line) => line.length <= 60),
      'no line joins both columns',
    );
  });

  test('Arabic text comes through as Arabic letters', async () => {
    for (const file of ['015-arabic/habibi.pdf', '015-arabic/habibi-oneline-cmap.pdf']) {
      const { text } = await extractPdfText(await read(file), file);
      assert.ok(text.includes('habibi'), file);
      // pdf.js gives this file's one Arabic word (mapped as a whole from one glyph) in visual
      // order; either order holds the word's letters intact.
      const word = 'حَبيبي';
      const reversed = [...word].reverse().join('');
      assert.ok(text.includes(word) || text.includes(reversed), file);
    }
  });

  test('form labels are part of the text', async () => {
    const { text } = await extractPdfText(
      await read('012-libreoffice-form/libreoffice-form.pdf'),
      'form.pdf',
    );
    for (const label of ['Gender:', 'Nationality:', 'First Name', 'Birthday']) {
      assert.ok(text.includes(label), label);
    }
  });

  test('a scan without text and a file that is not a PDF fail with their reason', async () => {
    await assert.rejects(
      extractPdfText(await read('007-imagemagick-images/imagemagick-lzw.pdf'), 'scan.pdf'),
      /scan\.pdf: PDF has no text layer on any of its 1 pages/,
    );
    await assert.rejects(
      extractPdfText(Buffer.from('%PDF-1.7 not really'), 'broken.pdf'),
      /broken\.pdf: not a readable PDF/,
    );
  });
});
