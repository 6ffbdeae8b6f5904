/**
 * One spelling per unit, so the same unit written "mg/dl" by one lab and "mg/dL" by another
 * compares equal. Only the spelling changes: a value is never converted, so mg/dL and mmol/L stay
 * apart. Canonical spellings are UCUM codes, the form FHIR and Synthea already use.
 */
const spellings: Record<string, readonly string[]> = {
  '%': [],
  'g/dL': ['g/dl'],
  'g/L': ['g/l'],
  'mg/dL': ['mg/dl'],
  'mg/L': ['mg/l'],
  'ug/dL': ['ug/dl'],
  'ug/L': ['ug/l'],
  'ug/mL': ['ug/ml'],
  'ng/mL': ['ng/ml'],
  'ng/dL': ['ng/dl'],
  'ng/L': ['ng/l'],
  'pg/mL': ['pg/ml'],
  pg: [],
  fL: ['fl'],
  'mmol/L': ['mmol/l'],
  'umol/L': ['umol/l'],
  'nmol/L': ['nmol/l'],
  'pmol/L': ['pmol/l'],
  'mmol/mol': [],
  'meq/L': ['meq/l'],
  'mosm/kg': [],
  'U/L': ['u/l'],
  'kU/L': ['ku/l'],
  'mU/L': ['mu/l'],
  '[IU]/L': ['IU/L', 'iu/l'],
  '[IU]/mL': ['IU/mL', 'iu/ml'],
  'm[IU]/L': ['mIU/L', 'miu/l'],
  'm[IU]/mL': ['mIU/mL', 'miu/ml'],
  'u[IU]/mL': ['uIU/mL', 'uiu/ml'],
  '10*3/uL': ['x10^3/uL', '10^3/uL', 'x10*3/uL', 'x10E3/uL', '10E3/uL', 'K/uL', 'thou/uL'],
  '10*6/uL': ['x10^6/uL', '10^6/uL', 'x10*6/uL', 'x10E6/uL', '10E6/uL', 'M/uL', 'mill/uL'],
  // Upper-case G and T are giga and tera (European cell counts); lower-case g is grams.
  '10*9/L': ['x10^9/L', '10^9/L', 'x10E9/L', 'G/L'],
  '10*12/L': ['x10^12/L', '10^12/L', 'x10E12/L', 'T/L'],
  'mL/min': ['ml/min'],
  'mL/min/{1.73_m2}': ['mL/min/1.73m2', 'mL/min/1.73m^2', 'mL/min/1.73m²'],
  'mm/h': ['mm/hr'],
  'mm[Hg]': ['mmHg'],
  'kg/m2': ['kg/m^2', 'kg/m²'],
  '/min': [],
  Cel: ['°C', 'degC'],
  '[degF]': ['°F', 'degF'],
  kg: [],
  cm: [],
  mm: [],
  mg: [],
  mL: ['ml'],
  s: ['sec'],
  L: ['l'],
  g: [],
};

/** Spacing and the two micro signs vary with the font and the keyboard, never the unit. */
function spellingKey(unit: string): string {
  return unit
    .replace(/\s+/g, '')
    .replace(/[µμ]/g, 'u')
    .replace(/^mcg(?=\/)/, 'ug');
}

const exact = new Map<string, string>();
for (const [canonical, aliases] of Object.entries(spellings)) {
  for (const spelling of [canonical, ...aliases]) exact.set(spellingKey(spelling), canonical);
}

/**
 * Case-insensitive fallback ("MG/DL"), left out where case tells units apart (g/L grams against
 * G/L giga per litre) and for units shorter than three letters (s seconds against S siemens,
 * mm millimetres against mM millimolar).
 */
const caseless = new Map<string, string | null>();
for (const [spelling, canonical] of exact) {
  if (spelling.length < 3) continue;
  const key = spelling.toLowerCase();
  const known = caseless.get(key);
  caseless.set(key, known === undefined || known === canonical ? canonical : null);
}

/** The canonical spelling of a unit; a unit not known here is kept as written, trimmed. */
export function normalizeUnit(unit: string): string;
export function normalizeUnit(unit: string | undefined): string | undefined;
export function normalizeUnit(unit: string | undefined): string | undefined {
  const trimmed = unit?.trim().replace(/\s+/g, ' ');
  if (!trimmed) return undefined;
  const key = spellingKey(trimmed);
  return exact.get(key) ?? caseless.get(key.toLowerCase()) ?? trimmed;
}

/** Whether a token is a unit this module knows, in any of its spellings. */
export function isKnownUnit(token: string): boolean {
  const key = spellingKey(token);
  return exact.has(key) || typeof caseless.get(key.toLowerCase()) === 'string';
}
