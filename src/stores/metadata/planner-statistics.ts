import type { MetadataDatabase } from './database.ts';

/** The tables context building reads by plan: chunks, their links and their documents. */
const searchedTables = ['"Chunk"', '"ChunkSource"', '"Document"'];

/**
 * PostgreSQL's autovacuum gathers planner statistics after bulk writes; PGlite runs no
 * background workers, so an embedded database never had any, and its planner chose plans that
 * read every chunk of a user (load-chunks.ts). Called when an ingestion run that wrote chunks
 * finishes. ANALYZE samples a bounded number of rows per table: about 1 s at 100k chunks.
 */
export async function refreshPlannerStatistics(metadata: MetadataDatabase): Promise<void> {
  if (metadata.kind !== 'pglite') return;
  await metadata.prisma.$executeRawUnsafe(`ANALYZE ${searchedTables.join(', ')}`);
}
