/** H, L, A (abnormal) or N: the flags an Observation row may carry. */
export type AbnormalFlag = 'H' | 'L' | 'A' | 'N';

/**
 * The flag a report printed, in any of the spellings labs and HL7 interpretation codes use;
 * critical and panic levels keep only their direction. Undefined for anything else.
 */
export function readAbnormalFlag(printed: string): AbnormalFlag | undefined {
  const flag = printed.trim().replace(/^\*+$/, 'A').toUpperCase();
  if (/^(H|HH|HU|>|HIGH|CRITICAL HIGH|ABOVE HIGH NORMAL)$/.test(flag)) return 'H';
  if (/^(L|LL|LU|<|LOW|CRITICAL LOW|BELOW LOW NORMAL)$/.test(flag)) return 'L';
  if (/^(A|AA|ABNORMAL|CRITICAL|POS|POSITIVE|DET|DETECTED)$/.test(flag)) return 'A';
  if (/^(N|NORMAL|NEG|NEGATIVE|ND|NOT DETECTED)$/.test(flag)) return 'N';
  return undefined;
}

/** The flag a numeric value earns against its reference range, when the range has a bound. */
export function deriveAbnormalFlag(
  value: number | undefined,
  low: number | undefined,
  high: number | undefined,
): AbnormalFlag | undefined {
  if (value === undefined || (low === undefined && high === undefined)) return undefined;
  if (high !== undefined && value > high) return 'H';
  if (low !== undefined && value < low) return 'L';
  return 'N';
}
