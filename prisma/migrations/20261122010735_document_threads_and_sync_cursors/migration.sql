-- AlterTable
ALTER TABLE "Document" ADD COLUMN     "externalId" TEXT,
ADD COLUMN     "threadKey" TEXT;

-- CreateTable
CREATE TABLE "SyncCursor" (
    "sourceId" UUID NOT NULL,
    "scope" TEXT NOT NULL,
    "state" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncCursor_pkey" PRIMARY KEY ("sourceId","scope")
);

-- CreateIndex
CREATE INDEX "Document_tenantId_userId_threadKey_idx" ON "Document"("tenantId", "userId", "threadKey");

-- CreateIndex
CREATE INDEX "Document_tenantId_userId_externalId_idx" ON "Document"("tenantId", "userId", "externalId");

-- AddForeignKey
ALTER TABLE "SyncCursor" ADD CONSTRAINT "SyncCursor_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE CASCADE ON UPDATE CASCADE;
