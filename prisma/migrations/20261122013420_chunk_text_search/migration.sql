-- AlterTable
-- Hand-edited: Prisma cannot express a generated column. PostgreSQL computes it from "text",
-- so every writer (and every existing row) gets it without code. The 'english' configuration
-- must match the one the lexical retriever queries with (src/context/lexical-search.ts).
ALTER TABLE "Chunk" ADD COLUMN     "textSearch" tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, "text")) STORED;

-- CreateIndex
CREATE INDEX "Chunk_textSearch_idx" ON "Chunk" USING GIN ("textSearch");
