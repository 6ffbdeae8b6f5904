-- CreateTable
CREATE TABLE "Attachment" (
    "id" UUID NOT NULL,
    "documentId" UUID NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "filename" TEXT,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "rawKey" TEXT,
    "contentId" TEXT,
    "inline" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Attachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ParseIssue" (
    "id" UUID NOT NULL,
    "tenantId" TEXT NOT NULL,
    "sourceId" UUID NOT NULL,
    "runId" UUID,
    "location" TEXT NOT NULL,
    "problem" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ParseIssue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Decision" (
    "id" UUID NOT NULL,
    "tenantId" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "documentId" UUID,
    "chunkHash" TEXT,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "score" DOUBLE PRECISION,
    "relatedChunkId" UUID,
    "runId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Decision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Observation" (
    "id" UUID NOT NULL,
    "tenantId" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "documentId" UUID NOT NULL,
    "observationKey" TEXT NOT NULL,
    "code" TEXT,
    "analyte" TEXT NOT NULL,
    "valueNumber" DOUBLE PRECISION,
    "valueText" TEXT,
    "unit" TEXT,
    "referenceLow" DOUBLE PRECISION,
    "referenceHigh" DOUBLE PRECISION,
    "referenceText" TEXT,
    "abnormalFlag" TEXT,
    "specimen" TEXT,
    "observedAt" TIMESTAMP(3),
    "lab" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Observation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Attachment_documentId_ordinal_key" ON "Attachment"("documentId", "ordinal");

-- CreateIndex
CREATE INDEX "ParseIssue_tenantId_sourceId_runId_idx" ON "ParseIssue"("tenantId", "sourceId", "runId");

-- CreateIndex
CREATE INDEX "Decision_tenantId_userId_documentId_idx" ON "Decision"("tenantId", "userId", "documentId");

-- CreateIndex
CREATE INDEX "Decision_tenantId_userId_kind_idx" ON "Decision"("tenantId", "userId", "kind");

-- CreateIndex
CREATE INDEX "Observation_tenantId_userId_analyte_observedAt_idx" ON "Observation"("tenantId", "userId", "analyte", "observedAt");

-- CreateIndex
CREATE INDEX "Observation_tenantId_userId_code_observedAt_idx" ON "Observation"("tenantId", "userId", "code", "observedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Observation_documentId_observationKey_key" ON "Observation"("documentId", "observationKey");

-- AddForeignKey
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Observation" ADD CONSTRAINT "Observation_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;
