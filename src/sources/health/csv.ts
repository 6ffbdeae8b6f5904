export type CsvRow = Record<string, string>;

/**
 * RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF) into rows keyed by the header line.
 * Hand-written because no CSV library is among the project's dependencies and the format needs
 * only this much; Synthea writes plain comma-separated UTF-8 with a header line.
 */
export function parseCsv(text: string): CsvRow[] {
  const [header, ...records] = parseRecords(text.replace(/^\uFEFF/, ''));
  if (!header) return [];
  return records
    .filter((record) => !(record.length === 1 && record[0] === ''))
    .map((record) => Object.fromEntries(header.map((name, index) => [name, record[index] ?? ''])));
}

function parseRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char !== '"') field += char;
      else if (text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
