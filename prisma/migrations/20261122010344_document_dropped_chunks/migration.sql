-- AlterTable
ALTER TABLE "Document" ADD COLUMN     "droppedChunks" INTEGER NOT NULL DEFAULT 0;
