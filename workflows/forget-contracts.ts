/** Inputs and the report of the forget workflows: plain serializable data, ids only. */
export interface ForgetUserInput {
  tenantId: string;
  /** Internal user UUID. */
  userId: string;
}

export interface ForgetSourceInput extends ForgetUserInput {
  sourceId: string;
}

export interface ForgetCounts {
  documentsDeleted: number;
  /** Chunk rows deleted because no remaining document carries them. */
  chunksDeleted: number;
  /** Chunks the forgotten documents carried that another document still carries. */
  chunksKeptShared: number;
  vectorsDeleted: number;
  rawBlobsDeleted: number;
  /** Raw blobs the forgotten documents referenced that another document still references. */
  rawBlobsKeptShared: number;
}

export interface ForgetReport extends ForgetCounts {
  /** What verification found still present, by store and id; empty when fully forgotten. */
  leftovers: string[];
}

export interface ForgetBatchResult extends ForgetCounts {
  /** Problems the batch's own check found (vectors or blobs it deleted still present). */
  leftovers: string[];
}

export const forgetSourceWorkflowType = 'forgetSource';
export const forgetUserWorkflowType = 'forgetUser';

export function emptyForgetReport(): ForgetReport {
  return {
    documentsDeleted: 0,
    chunksDeleted: 0,
    chunksKeptShared: 0,
    vectorsDeleted: 0,
    rawBlobsDeleted: 0,
    rawBlobsKeptShared: 0,
    leftovers: [],
  };
}

/** Adds one part's counts and leftovers to the report, in place. */
export function addToReport(report: ForgetReport, part: Partial<ForgetBatchResult>): void {
  report.documentsDeleted += part.documentsDeleted ?? 0;
  report.chunksDeleted += part.chunksDeleted ?? 0;
  report.chunksKeptShared += part.chunksKeptShared ?? 0;
  report.vectorsDeleted += part.vectorsDeleted ?? 0;
  report.rawBlobsDeleted += part.rawBlobsDeleted ?? 0;
  report.rawBlobsKeptShared += part.rawBlobsKeptShared ?? 0;
  report.leftovers.push(...(part.leftovers ?? []));
}

/** `forget:<tenant>:<user uuid>[:<source uuid>]`: stable and free of personal data. */
export function forgetWorkflowId(input: ForgetUserInput & { sourceId?: string }): string {
  const base = `forget:${input.tenantId}:${input.userId}`;
  return input.sourceId ? `${base}:${input.sourceId}` : base;
}
