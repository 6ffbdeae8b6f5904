-- CreateIndex
CREATE INDEX "Document_tenantId_userId_author_occurredAt_idx" ON "Document"("tenantId", "userId", "author", "occurredAt");
