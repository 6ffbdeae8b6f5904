-- AlterTable
ALTER TABLE "Chunk" ADD COLUMN     "lshBands" INTEGER[],
ADD COLUMN     "minhash" BYTEA;

-- CreateIndex
CREATE INDEX "Chunk_lshBands_idx" ON "Chunk" USING GIN ("lshBands");
