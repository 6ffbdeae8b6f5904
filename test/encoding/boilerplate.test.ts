import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paragraphsOf, removeBoilerplate } from '../../src/encoding/boilerplate.ts';

const options = { minThreads: 3, minWords: 4 };
const footer =
  'You receive this newsletter because you subscribed at example.org. Unsubscribe here.';

test('paragraphs split at blank lines and hash case-insensitively', () => {
  const paragraphs = paragraphsOf(`Hello Ana,\n\nThe report is ready.\nSee the link.\n\n${footer}`);
  assert.deepEqual(
    paragraphs.map((paragraph) => paragraph.text),
    ['Hello Ana,', 'The report is ready.\nSee the link.', footer],
  );
  assert.equal(paragraphs[2]?.hash, paragraphsOf(footer.toUpperCase())[0]?.hash);
  assert.deepEqual(paragraphsOf(''), []);
});

test('the trailing paragraphs seen in enough threads go, others and short ones stay', () => {
  const legal = 'This message is confidential and meant only for the addressee named above.';
  const paragraphs = paragraphsOf(
    `Prices rise by 4% in May.\n\n${legal}\n\nBest,\nTom\n\n${footer}\n\n${legal}`,
  );
  // news, legal, sign-off, footer (`end`), legal again (`middle`'s hash)
  const [news, middle, signOff, end] = paragraphs;
  assert.ok(news && middle && signOff && end);
  const threads = new Map([
    [end.hash, 3],
    [middle.hash, 4],
    [signOff.hash, 9],
    [news.hash, 2],
  ]);
  const { text, removed } = removeBoilerplate(paragraphs, threads, new Set(), options);
  // The trailing run goes; the same paragraph before the sign-off is part of the message.
  assert.equal(text, `Prices rise by 4% in May.\n\n${legal}\n\nBest,\nTom`);
  assert.deepEqual(removed, [
    { hash: end.hash, threads: 3 },
    { hash: middle.hash, threads: 4 },
  ]);
  assert.equal(
    removeBoilerplate(paragraphs, new Map([[end.hash, 2]]), new Set(), options).removed.length,
    0,
  );
  // The sender's first document carrying it keeps it: the paragraph stays in memory once.
  assert.equal(
    removeBoilerplate(paragraphs, threads, new Set([end.hash, middle.hash]), options).removed
      .length,
    0,
  );
});

test('a document that is all boilerplate keeps its text', () => {
  const paragraphs = paragraphsOf(footer);
  const result = removeBoilerplate(
    paragraphs,
    new Map([[paragraphs[0]?.hash ?? '', 5]]),
    new Set(),
    options,
  );
  assert.deepEqual(result, { text: footer, removed: [] });
});
