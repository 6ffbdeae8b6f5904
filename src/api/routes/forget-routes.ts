import { z } from 'zod';
import type { ForgetReport } from '../../../workflows/forget-contracts.ts';
import { setAuditSubject } from '../../audit/audit-hook.ts';
import { forgetSource, forgetUser } from '../../forget/forget-service.ts';
import { findUser } from '../../tenants/users.ts';
import type { ApiApp, ApiDeps } from '../api-app.ts';
import { callerOf } from '../authenticate.ts';

/** What the audit log keeps of a forget report. */
function counts(report: ForgetReport) {
  return {
    documentsDeleted: report.documentsDeleted,
    chunksDeleted: report.chunksDeleted,
    rawBlobsDeleted: report.rawBlobsDeleted,
    leftovers: report.leftovers.length,
  };
}

/** Forgetting waits for the workflow and answers with its verified report. */
export function registerForgetRoutes(app: ApiApp, { services, ingestion }: ApiDeps): void {
  const prisma = services.metadata.prisma;

  app.delete(
    '/v1/sources/:sourceId',
    {
      config: { access: 'tenant', audit: 'forget.source' },
      schema: {
        tags: ['forget'],
        summary: 'Forget one source of a user everywhere; answers with the verified report',
        params: z.object({ sourceId: z.string() }),
        querystring: z.object({ user: z.string().min(1).max(320).optional() }),
      },
    },
    async (request) => {
      const report = await forgetSource(
        { prisma, ingestion },
        callerOf(request).tenantId,
        request.params.sourceId,
        request.query.user,
      );
      setAuditSubject(request, { subjectId: request.params.sourceId, details: counts(report) });
      return report;
    },
  );

  app.delete(
    '/v1/users/:user',
    {
      config: { access: 'tenant', audit: 'forget.user' },
      schema: {
        tags: ['forget'],
        summary: 'Forget a user and all their sources everywhere',
        params: z.object({ user: z.string().min(1).max(320) }),
      },
    },
    async (request) => {
      const { tenantId } = callerOf(request);
      // The internal id, looked up first: the user row is gone once the report is back.
      const userId = await findUser(prisma, tenantId, request.params.user);
      const report = await forgetUser({ prisma, ingestion }, tenantId, request.params.user);
      setAuditSubject(request, { userId, details: counts(report) });
      return report;
    },
  );
}
