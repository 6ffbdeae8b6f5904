import { detectPersonalData } from './detect-personal-data.ts';
import type { Detector } from './detection.ts';
import { detectionId, type RedactionVault } from './redaction-vault.ts';

/** Replaces personal data in texts by the tenant's tokens for it. */
export interface Redactor {
  /**
   * The texts with every detected value replaced by its token, in one vault round trip.
   * `record` stores new values (write time); without it nothing is stored (queries).
   */
  redact(
    tenantId: string,
    texts: readonly string[],
    options: { record: boolean },
  ): Promise<string[]>;
}

export function createRedactor(deps: {
  vault: RedactionVault;
  detectors: readonly Detector[];
}): Redactor {
  return {
    async redact(tenantId, texts, options) {
      const detected = texts.map((text) => detectPersonalData(text, deps.detectors));
      const tokens = await deps.vault.tokensFor(tenantId, detected.flat(), options);
      return texts.map((text, index) => {
        let output = '';
        let from = 0;
        for (const detection of detected[index] ?? []) {
          output += text.slice(from, detection.start) + tokens.get(detectionId(detection));
          from = detection.end;
        }
        return output + text.slice(from);
      });
    },
  };
}
