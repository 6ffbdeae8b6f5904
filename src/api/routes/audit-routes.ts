import { z } from 'zod';
import { auditActions, listAuditEvents } from '../../audit/audit-log.ts';
import type { ApiApp, ApiDeps } from '../api-app.ts';
import { callerOf } from '../authenticate.ts';

export function registerAuditRoutes(app: ApiApp, { services }: ApiDeps): void {
  app.get(
    '/v1/audit',
    {
      config: { access: 'tenant' },
      schema: {
        tags: ['audit'],
        summary: "The tenant's audit log, newest first: reads, exports, deletions, privacy changes",
        querystring: z.object({
          since: z.coerce.date().optional(),
          action: z.enum(auditActions).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
      },
    },
    async (request) => ({
      events: await listAuditEvents(
        services.metadata.prisma,
        callerOf(request).tenantId,
        request.query,
      ),
    }),
  );
}
