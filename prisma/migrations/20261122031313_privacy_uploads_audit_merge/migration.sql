-- AlterTable
ALTER TABLE "Chunk" ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'content',
ADD COLUMN     "mergeKey" TEXT;

-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "encryptRawData" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "redactPersonalData" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "wrappedDataKey" TEXT;

-- CreateTable
CREATE TABLE "Upload" (
    "id" UUID NOT NULL,
    "tenantId" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "sourceId" UUID NOT NULL,
    "filename" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "declaredContentType" TEXT,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Upload_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RedactionToken" (
    "id" UUID NOT NULL,
    "tenantId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "valueDigest" TEXT NOT NULL,
    "valueCiphertext" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RedactionToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" UUID NOT NULL,
    "tenantId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "apiKeyId" UUID,
    "userId" UUID,
    "subjectId" TEXT,
    "details" JSONB,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Upload_tenantId_sourceId_idx" ON "Upload"("tenantId", "sourceId");

-- CreateIndex
CREATE UNIQUE INDEX "RedactionToken_tenantId_valueDigest_key" ON "RedactionToken"("tenantId", "valueDigest");

-- CreateIndex
CREATE UNIQUE INDEX "RedactionToken_tenantId_token_key" ON "RedactionToken"("tenantId", "token");

-- CreateIndex
CREATE INDEX "AuditEvent_tenantId_at_idx" ON "AuditEvent"("tenantId", "at");

-- CreateIndex
CREATE INDEX "Chunk_tenantId_userId_mergeKey_idx" ON "Chunk"("tenantId", "userId", "mergeKey");

-- AddForeignKey
ALTER TABLE "Upload" ADD CONSTRAINT "Upload_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE CASCADE ON UPDATE CASCADE;
