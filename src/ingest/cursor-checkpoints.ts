import { z } from 'zod';
import { NotFoundError } from '../shared/errors.ts';
import type { ParseCheckpoints } from '../sources/source-kind.ts';
import type { PrismaClient } from '../stores/metadata/prisma.ts';
import type { RawStore } from '../stores/raw/raw-store.ts';

const pointerSchema = z.object({ rawKey: z.string() });
const checkpointScopePrefix = 'parse:';

/**
 * Raw keys of the parse checkpoints kept for the sources matching `where` (one source, or every
 * source of a tenant): forgetting a source deletes these blobs too, and the consistency check
 * counts them as referenced.
 */
export async function checkpointRawKeys(
  prisma: PrismaClient,
  where: { sourceId: string } | { source: { tenantId: string } },
): Promise<string[]> {
  const cursors = await prisma.syncCursor.findMany({
    where: { ...where, scope: { startsWith: checkpointScopePrefix } },
    select: { state: true },
  });
  return cursors.flatMap((cursor) => {
    const pointer = pointerSchema.safeParse(cursor.state);
    return pointer.success ? [pointer.data.rawKey] : [];
  });
}

/**
 * The parse checkpoints of one document. Their bytes go to the tenant's raw store, beside the
 * item's own; the raw store is content-addressed, so a checkpoint's key cannot be known before
 * its bytes are. What finds it again is a SyncCursor row of the document's source whose scope,
 * `parse:<raw key of the item>:<name>`, is computed again from the same item and name on the
 * next attempt, and whose state holds the checkpoint's raw key. Rows go with their source.
 */
export function createCursorCheckpoints(
  deps: { prisma: PrismaClient; raw: RawStore },
  document: { id: string; tenantId: string; rawKey: string },
): ParseCheckpoints {
  const { prisma, raw } = deps;
  let sourceId: Promise<string> | undefined;
  // Looked up on first use: most parses never checkpoint.
  const source = () => {
    sourceId ??= prisma.document
      .findUniqueOrThrow({ where: { id: document.id }, select: { sourceId: true } })
      .then((row) => row.sourceId);
    return sourceId;
  };
  const scope = (name: string) => `${checkpointScopePrefix}${document.rawKey}:${name}`;

  return {
    async load(name) {
      const cursor = await prisma.syncCursor.findUnique({
        where: { sourceId_scope: { sourceId: await source(), scope: scope(name) } },
        select: { state: true },
      });
      const pointer = pointerSchema.safeParse(cursor?.state);
      if (!pointer.success) return undefined;
      try {
        return await raw.get(document.tenantId, pointer.data.rawKey);
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    },

    async save(name, bytes) {
      const { key } = await raw.put(document.tenantId, bytes);
      const where = { sourceId: await source(), scope: scope(name) };
      await prisma.syncCursor.upsert({
        where: { sourceId_scope: where },
        create: { ...where, state: { rawKey: key } },
        update: { state: { rawKey: key } },
      });
    },
  };
}
