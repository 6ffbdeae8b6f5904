import {
  type CheckResult,
  checkResult,
  type DoctorDeps,
  type DoctorOptions,
  type DoctorScope,
  ownerWhere,
} from './doctor-report.ts';
import { tenantRawReferences } from './tenant-raw-references.ts';

const remedies = {
  documents:
    'mark the document failed with the reason; its chunks stay in memory and nothing is deleted',
  attachments: 'none: the document is kept as it is; its own raw item still holds the attachment',
  unreferenced: 'delete raw blobs no record references and last stored before the grace period',
};

/** Why a document was marked failed by the repair; no key or content, the id is the row's own. */
export const missingRawReason =
  'The raw item of this document is missing from the raw store (found by memtape doctor); ' +
  'chunks already in memory are kept';

/** Statuses of documents whose raw item must be in the raw store. */
const liveStatuses = ['pending', 'ingested', 'duplicate'] as const;

/**
 * Metadata against the tenant's raw store: documents and attachments whose blob is gone, and
 * blobs nothing references. A blob is written before the row that references it, so an
 * unreferenced blob is deleted only when it was last stored before the grace period (a put of
 * bytes already stored counts as storing them, see RawStore.lastStoredAt).
 */
export async function checkRaw(
  deps: Pick<DoctorDeps, 'prisma' | 'raw'>,
  scope: DoctorScope,
  options: DoctorOptions,
): Promise<CheckResult[]> {
  const { prisma, raw } = deps;
  const { tenantId } = scope;
  const present = new Set(await raw.listKeys(tenantId));

  const documents = await prisma.document.findMany({
    where: { ...ownerWhere(scope), status: { in: [...liveStatuses] }, rawKey: { not: '' } },
    select: { id: true, rawKey: true },
    orderBy: { id: 'asc' },
  });
  const documentsMissing = documents.filter((row) => !present.has(row.rawKey)).map((row) => row.id);
  let documentsRepaired = 0;
  if (options.repair && documentsMissing.length > 0) {
    const updated = await prisma.document.updateMany({
      where: { tenantId, id: { in: documentsMissing }, status: { in: [...liveStatuses] } },
      data: { status: 'failed', error: missingRawReason },
    });
    documentsRepaired = updated.count;
  }

  const attachments = await prisma.attachment.findMany({
    where: {
      rawKey: { not: null },
      document: { ...ownerWhere(scope), status: { not: 'deleted' } },
    },
    select: { id: true, rawKey: true },
    orderBy: { id: 'asc' },
  });
  const attachmentsMissing = attachments
    .filter((row) => row.rawKey !== null && !present.has(row.rawKey))
    .map((row) => row.id);

  return [
    checkResult('documents-missing-raw', remedies.documents, documentsMissing, options, {
      repaired: documentsRepaired,
    }),
    checkResult('attachments-missing-raw', remedies.attachments, attachmentsMissing, options),
    scope.userId
      ? {
          ...checkResult('unreferenced-raw-blobs', remedies.unreferenced, [], options),
          skipped: 'raw blobs belong to the tenant, not to one user: run without --user',
        }
      : await checkUnreferencedBlobs(deps, tenantId, present, options),
  ];
}

async function checkUnreferencedBlobs(
  deps: Pick<DoctorDeps, 'prisma' | 'raw'>,
  tenantId: string,
  present: ReadonlySet<string>,
  options: DoctorOptions,
): Promise<CheckResult> {
  const referenced = await tenantRawReferences(deps.prisma, tenantId);
  const cutoff = options.now.getTime() - options.graceMs;
  const old: string[] = [];
  let deferred = 0;
  for (const key of [...present].filter((key) => !referenced.has(key)).sort()) {
    const storedAt = await deps.raw.lastStoredAt(tenantId, key);
    if (storedAt === undefined) continue; // deleted meanwhile
    if (storedAt.getTime() <= cutoff) old.push(key);
    else deferred += 1;
  }
  let repaired = 0;
  if (options.repair) {
    for (const key of old) {
      await deps.raw.delete(tenantId, key);
      repaired += 1;
    }
  }
  return checkResult('unreferenced-raw-blobs', remedies.unreferenced, old, options, {
    repaired,
    deferred,
  });
}
