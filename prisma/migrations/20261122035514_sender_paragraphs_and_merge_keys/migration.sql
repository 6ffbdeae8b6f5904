-- AlterTable
ALTER TABLE "Decision" ADD COLUMN     "mergeKey" TEXT,
ADD COLUMN     "ordinal" INTEGER;

-- CreateTable
CREATE TABLE "SenderParagraph" (
    "documentId" UUID NOT NULL,
    "paragraphHash" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "senderHash" TEXT NOT NULL,
    "threadHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SenderParagraph_pkey" PRIMARY KEY ("documentId","paragraphHash")
);

-- CreateIndex
CREATE INDEX "SenderParagraph_tenantId_userId_senderHash_paragraphHash_idx" ON "SenderParagraph"("tenantId", "userId", "senderHash", "paragraphHash");

-- CreateIndex
CREATE INDEX "Decision_tenantId_userId_mergeKey_idx" ON "Decision"("tenantId", "userId", "mergeKey");

-- AddForeignKey
ALTER TABLE "SenderParagraph" ADD CONSTRAINT "SenderParagraph_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;
