import type { Prisma, PrismaClient } from '../stores/metadata/prisma.ts';

/** What the audit log records: reads of memory, exports, deletions and privacy changes. */
export const auditActions = [
  'context.read',
  'document.read',
  'upload.create',
  'export',
  'forget.source',
  'forget.user',
  'redaction.reveal',
  'privacy.update',
] as const;
export type AuditAction = (typeof auditActions)[number];

/** Ids and non-personal facts (counts, budgets) only: never queries, texts or names. */
export type AuditDetails = Record<string, number | boolean | string | null>;

export interface AuditEntry {
  tenantId: string;
  action: AuditAction;
  apiKeyId?: string;
  /** The internal user UUID, never the caller's id for the user (often an address). */
  userId?: string;
  subjectId?: string;
  details?: AuditDetails;
}

export interface AuditEventView {
  id: string;
  action: string;
  apiKeyId: string | null;
  userId: string | null;
  subjectId: string | null;
  details: unknown;
  at: Date;
}

export async function recordAuditEvent(prisma: PrismaClient, entry: AuditEntry): Promise<void> {
  await prisma.auditEvent.create({
    data: {
      tenantId: entry.tenantId,
      action: entry.action,
      apiKeyId: entry.apiKeyId ?? null,
      userId: entry.userId ?? null,
      subjectId: entry.subjectId ?? null,
      details: (entry.details ?? undefined) as Prisma.InputJsonValue | undefined,
    },
  });
}

/** A tenant's events, newest first. */
export async function listAuditEvents(
  prisma: PrismaClient,
  tenantId: string,
  filter: { since?: Date; action?: AuditAction; limit: number },
): Promise<AuditEventView[]> {
  return prisma.auditEvent.findMany({
    where: {
      tenantId,
      ...(filter.action && { action: filter.action }),
      ...(filter.since && { at: { gte: filter.since } }),
    },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take: filter.limit,
    select: {
      id: true,
      action: true,
      apiKeyId: true,
      userId: true,
      subjectId: true,
      details: true,
      at: true,
    },
  });
}
