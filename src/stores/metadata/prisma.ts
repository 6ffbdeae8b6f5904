/**
 * The generated Prisma client's public surface. Code outside this folder imports from here, never
 * from ./generated (rebuilt by `npm run db:generate`), so a generator change touches one file.
 * `Prisma` carries the input types (Prisma.ChunkCreateInput, ...) and the error classes.
 */

export type {
  ApiKey,
  Chunk,
  ChunkSource,
  Document,
  IngestionRun,
  Source,
  Tenant,
  User,
  VectorCollection,
} from './generated/client.ts';
export { DocumentStatus, Prisma, PrismaClient, RunStatus } from './generated/client.ts';
