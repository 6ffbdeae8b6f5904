import { z } from 'zod';
import { listDocumentDecisions } from '../../dedup/decisions.ts';
import { NotFoundError } from '../../shared/errors.ts';
import type { ApiApp, ApiDeps } from '../api-app.ts';
import { callerOf } from '../authenticate.ts';

export function registerDocumentRoutes(app: ApiApp, { services }: ApiDeps): void {
  app.get(
    '/v1/documents/:documentId/decisions',
    {
      config: { access: 'tenant' },
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
      return listDocumentDecisions(
        services.metadata.prisma,
        callerOf(request).tenantId,
        documentId,
      );
    },
  );
}
