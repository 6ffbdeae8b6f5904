import { z } from 'zod';
import { setAuditSubject } from '../../audit/audit-hook.ts';
import { listDocumentDecisions } from '../../dedup/decisions.ts';
import { getDocumentStatus } from '../../ingest/document-status.ts';
import { NotFoundError } from '../../shared/errors.ts';
import type { ApiApp, ApiDeps } from '../api-app.ts';
import { callerOf } from '../authenticate.ts';

export function registerDocumentRoutes(app: ApiApp, { services }: ApiDeps): void {
  app.get(
    '/v1/documents/:documentId',
    {
      config: { access: 'tenant', audit: 'document.read' },
      schema: {
        tags: ['documents'],
        summary:
          'Status of one document: error, source, item, title, date, chunks, attachments, decisions',
        params: z.object({ documentId: z.string().max(100) }),
      },
    },
    async (request) => {
      setAuditSubject(request, { subjectId: request.params.documentId });
      return getDocumentStatus(
        services.metadata.prisma,
        callerOf(request).tenantId,
        request.params.documentId,
      );
    },
  );

  app.get(
    '/v1/documents/:documentId/decisions',
    {
      config: { access: 'tenant', audit: 'document.read' },
      schema: {
        tags: ['documents'],
        summary: 'Why chunks of a document were dropped, merged or linked to others',
        params: z.object({ documentId: z.string() }),
      },
    },
    async (request) => {
      const { documentId } = request.params;
      // Not a UUID cannot be a document: answered like one of another tenant.
      if (!z.uuid().safeParse(documentId).success) {
        throw new NotFoundError(`document ${documentId} not found`);
      }
      setAuditSubject(request, { subjectId: documentId });
      return listDocumentDecisions(
        services.metadata.prisma,
        callerOf(request).tenantId,
        documentId,
      );
    },
  );
}
