import type { Prisma } from '../stores/metadata/prisma.ts';
import type { PreparedDocument } from './prepare-document.ts';

/**
 * Replaces the Observation rows of the given documents with what their items state now, inside
 * the caller's transaction: a changed lab report leaves no stale values and a document that
 * failed keeps none. Duplicates keep their own rows, as they keep their chunk links, so values
 * outlive the deletion of either copy; a reader counting values takes them from ingested
 * documents only.
 */
export async function replaceObservations(
  tx: Prisma.TransactionClient,
  run: { tenantId: string; userId: string },
  prepared: readonly PreparedDocument[],
): Promise<void> {
  await tx.observation.deleteMany({
    where: { documentId: { in: prepared.map((item) => item.document.id) } },
  });
  const rows = prepared.flatMap((item) =>
    item.ok
      ? item.observations.map(({ key, ...observation }) => ({
          ...observation,
          tenantId: run.tenantId,
          userId: run.userId,
          documentId: item.document.id,
          observationKey: key,
        }))
      : [],
  );
  // Keys are unique per item by construction; a repeated one (a malformed FHIR bundle that
  // reuses an id) keeps its first value rather than failing the whole batch.
  if (rows.length > 0) await tx.observation.createMany({ data: rows, skipDuplicates: true });
}
