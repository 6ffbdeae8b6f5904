import { z } from 'zod';
import { forgetSource, forgetUser } from '../../forget/forget-service.ts';
import type { ApiApp, ApiDeps } from '../api-app.ts';
import { callerOf } from '../authenticate.ts';

/** Forgetting waits for the workflow and answers with its verified report. */
export function registerForgetRoutes(app: ApiApp, { services, ingestion }: ApiDeps): void {
  const prisma = services.metadata.prisma;

  app.delete(
    '/v1/sources/:sourceId',
    {
      config: { access: 'tenant' },
      schema: {
        tags: ['forget'],
        summary: 'Forget one source of a user everywhere; answers with the verified report',
        params: z.object({ sourceId: z.string() }),
        querystring: z.object({ user: z.string().min(1).max(320).optional() }),
      },
    },
    async (request) =>
      forgetSource(
        { prisma, ingestion },
        callerOf(request).tenantId,
        request.params.sourceId,
        request.query.user,
      ),
  );

  app.delete(
    '/v1/users/:user',
    {
      config: { access: 'tenant' },
      schema: {
        tags: ['forget'],
        summary: 'Forget a user and all their sources everywhere',
        params: z.object({ user: z.string().min(1).max(320) }),
      },
    },
    async (request) =>
      forgetUser({ prisma, ingestion }, callerOf(request).tenantId, request.params.user),
  );
}
