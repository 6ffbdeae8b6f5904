import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import {
  detectPersonalData,
  personalDataDetectors,
} from '../src/privacy/redaction/detect-personal-data.ts';
import { corporaDir, corpusPath } from '../test/support/corpora.ts';

/**
 * Speed of personal-data detection (every detector, US phone region) on real mail: a 1 MB
 * message of server headers and logs, and an mbox of 29 messages. Redaction runs on every
 * parsed item of a tenant that redacts, before chunking.
 */
const inputs = [
  'email/mailparser/test/fixtures/large_text.eml',
  'email/mimekit/UnitTests/TestData/mbox/content-length.mbox.txt',
];
const rounds = 5;

export default async function benchRedaction(): Promise<void> {
  const detectors = personalDataDetectors('US');
  for (const input of inputs) {
    const file = corpusPath(input);
    if (!existsSync(file)) {
      console.log(`${input}: not found under ${corporaDir}`);
      continue;
    }
    const text = (await readFile(file)).toString('utf8');
    const found = detectPersonalData(text, detectors);
    const start = performance.now();
    for (let round = 0; round < rounds; round++) detectPersonalData(text, detectors);
    const ms = (performance.now() - start) / rounds;
    const byKind = Object.entries(Object.groupBy(found, (detection) => detection.kind))
      .map(([kind, list]) => `${kind} ${list?.length}`)
      .join(', ');
    console.log(
      `${input.split('/').at(-1)}: ${(text.length / 1e6).toFixed(2)} M chars, ` +
        `${ms.toFixed(0)} ms, ${(text.length / 1e6 / (ms / 1000)).toFixed(2)} M chars/s; ${byKind}`,
    );
  }
}
