import { z } from 'zod';
import { getIngestionStatus } from '../../ingest/ingestion-service.ts';
import { saveAndIngestSource } from '../../source-admin/source-service.ts';
import type { ApiApp, ApiDeps } from '../api-app.ts';
import { callerOf } from '../authenticate.ts';
import {
  reencodeFlag,
  sourceKindSchema,
  sourceNameSchema,
  sourceSettingsSchema,
} from './source-routes.ts';

const startIngestionBody = z.object({
  user: z.string().min(1).max(320),
  source: z.object({
    kind: sourceKindSchema,
    name: sourceNameSchema,
    settings: sourceSettingsSchema,
  }),
  reencode: reencodeFlag,
});

export type StartIngestionRequest = z.input<typeof startIngestionBody>;

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
      const { dataDir, sourceRoots } = services.config;
      const started = await saveAndIngestSource(
        { prisma, ingestion, paths: { dataDir, sourceRoots } },
        tenantId,
        { user: request.body.user, ...request.body.source },
        request.body.reencode ? 'reencode' : 'sync',
      );
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
