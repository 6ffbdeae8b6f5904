import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  detectPersonalData,
  personalDataDetectors,
} from '../../src/privacy/redaction/detect-personal-data.ts';

/**
 * Personal data values in raw inputs, found two ways: memtape's own detectors, and an
 * independent plain regular expression for email addresses, so a test does not only trust
 * the code it tests.
 */
export interface RawValue {
  kind: string;
  value: string;
  file: string;
}

const independentEmail = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

export async function rawValuesOf(files: readonly string[]): Promise<RawValue[]> {
  const found = new Map<string, RawValue>();
  const detectors = personalDataDetectors('US');
  for (const file of files) {
    const text = (await readFile(file)).toString('utf8');
    for (const detection of detectPersonalData(text, detectors)) {
      found.set(detection.value.toLowerCase(), {
        kind: detection.kind,
        value: detection.value,
        file,
      });
    }
    for (const match of text.matchAll(independentEmail)) {
      // The trailing dot of a sentence is not part of the address.
      const value = match[0].replace(/[.-]+$/, '');
      if (!found.has(value.toLowerCase())) {
        found.set(value.toLowerCase(), { kind: 'email (independent regex)', value, file });
      }
    }
  }
  return [...found.values()];
}

export interface Haystack {
  where: string;
  text: string;
}

export interface Leak {
  kind: string;
  value: string;
  where: string;
}

/** Every raw value that appears (case-insensitively) in any haystack. */
export function findLeaks(values: readonly RawValue[], haystacks: readonly Haystack[]): Leak[] {
  const lowered = haystacks.map((haystack) => ({ ...haystack, text: haystack.text.toLowerCase() }));
  const leaks: Leak[] = [];
  for (const { kind, value } of values) {
    const needle = value.toLowerCase();
    const hit = lowered.find((haystack) => haystack.text.includes(needle));
    if (hit) leaks.push({ kind, value, where: hit.where });
  }
  return leaks;
}

/** Files directly in `dir` whose names match, as haystacks (store files such as lexical.sqlite). */
export async function fileHaystacks(dir: string, pattern: RegExp): Promise<Haystack[]> {
  const names = (await readdir(dir)).filter((name) => pattern.test(name));
  return Promise.all(
    names.map(async (name) => ({
      where: name,
      text: (await readFile(path.join(dir, name))).toString('utf8'),
    })),
  );
}

export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}
