import { z } from 'zod';
import { getIngestionStatus, startIngestion } from '../../ingest/ingestion-service.ts';
import { sourceKindNames } from '../../sources/source-kinds.ts';
import type { ApiApp, ApiDeps } from '../api-app.ts';
import { callerOf } from '../authenticate.ts';

const startIngestionBody = z.object({
  user: z.string().min(1).max(320),
  source: z.object({
    kind: z.enum(sourceKindNames as [string, ...string[]]),
    name: z.string().min(1).max(200),
    settings: z.record(z.string(), z.unknown()),
  }),
});

export function registerIngestionRoutes(app: ApiApp, { services, ingestion }: ApiDeps): void {
  const prisma = services.metadata.prisma;

  app.post(
    '/v1/ingestions',
    {
      config: { access: 'tenant' },
      schema: {
        tags: ['ingestions'],
        summary: "Register (or update) a user's source and start its ingestion workflow",
        body: startIngestionBody,
      },
    },
    async (request, reply) => {
      const { tenantId } = callerOf(request);
      const started = await startIngestion({ prisma, ingestion }, tenantId, request.body);
      return reply.status(202).send(started);
    },
  );

  app.get(
    '/v1/ingestions/:workflowId',
    {
      config: { access: 'tenant' },
      schema: {
        tags: ['ingestions'],
        summary: 'Status, live progress, per-document counts and failures of an ingestion',
        params: z.object({ workflowId: z.string().min(1).max(300) }),
      },
    },
    async (request) =>
      getIngestionStatus(
        { prisma, ingestion },
        callerOf(request).tenantId,
        request.params.workflowId,
      ),
  );
}
