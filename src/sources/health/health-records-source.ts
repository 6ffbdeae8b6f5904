import path from 'node:path';
import { z } from 'zod';
import { ParseError } from '../../shared/errors.ts';
import { listFiles } from '../list-files.ts';
import type { ParsedItem, SourceKind } from '../source-kind.ts';
import { parseFhirRecord } from './fhir.ts';
import { parsePdfRecord } from './pdf-record.ts';
import {
  findSyntheaFolders,
  isSyntheaPatient,
  parseSyntheaPatient,
  syntheaPatientItems,
} from './synthea-csv.ts';

const settingsSchema = z.object({ path: z.string().min(1) });

/**
 * A folder of health records, searched recursively: PDFs (lab reports give their results as
 * observations), FHIR R4 bundles as .json files, and Synthea CSV exports (a folder with
 * patients.csv), one item per patient. Every item becomes text for memory plus, for measured
 * values, rows of the Observation table beside it.
 */
export const healthRecordsSource: SourceKind<z.infer<typeof settingsSchema>> = {
  kind: 'health-records',
  mediaType: 'application/vnd.memtape.health-record',
  settingsSchema,
  async *listItems(settings) {
    yield* listFiles(settings.path, ['.pdf', '.json']);
    for (const folder of await findSyntheaFolders(settings.path)) {
      const relative = path.relative(settings.path, folder).split(path.sep).join('/');
      yield* syntheaPatientItems(folder, relative || path.basename(settings.path));
    }
  },
  async parse(bytes, itemName) {
    // What an item is shows in its bytes: Synthea patients are cut from CSV into JSON.
    if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return parsePdfRecord(bytes, itemName);
    return parseJsonRecord(bytes, itemName);
  },
};

function parseJsonRecord(bytes: Buffer, itemName: string): ParsedItem {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ParseError(itemName, 'neither a PDF nor a JSON health record');
  }
  return isSyntheaPatient(json)
    ? parseSyntheaPatient(json, itemName)
    : parseFhirRecord(json, itemName);
}
