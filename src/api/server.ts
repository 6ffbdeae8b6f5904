import Fastify from 'fastify';
import { z } from 'zod';
import { buildContext } from '../context/build-context.ts';
import { contextRequestBody } from '../context/context-request-schema.ts';
import { listDocumentDecisions } from '../dedup/decisions.ts';
import { forgetSource, forgetUser } from '../forget/forget-service.ts';
import { getIngestionStatus, startIngestion } from '../ingest/ingestion-service.ts';
import type { Services } from '../runtime/services.ts';
import { MemtapeError, NotFoundError } from '../shared/errors.ts';
import { sourceKindNames } from '../sources/source-kinds.ts';
import type { IngestionClient } from '../temporal/client.ts';
import { createTenantWithKey } from '../tenants/tenants.ts';
import { findUser } from '../tenants/users.ts';
import { requestTenant, requireAdmin } from './authenticate.ts';
import { validate } from './validate.ts';

const createTenantBody = z.object({
  id: z.string(),
  name: z.string().min(1).max(200).optional(),
  keyLabel: z.string().min(1).max(100).optional(),
});

const startIngestionBody = z.object({
  user: z.string().min(1).max(320),
  source: z.object({
    kind: z.enum(sourceKindNames as [string, ...string[]]),
    name: z.string().min(1).max(200),
    settings: z.record(z.string(), z.unknown()),
  }),
});

export type ApiServer = ReturnType<typeof createApiServer>;

export function createApiServer(deps: { services: Services; ingestion: IngestionClient }) {
  const { services, ingestion } = deps;
  const prisma = services.metadata.prisma;
  const app = Fastify({ loggerInstance: services.logger, bodyLimit: 1024 * 1024 });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof MemtapeError) {
      return reply.status(error.status).send({ error: error.message, requestId: request.id });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      return reply.status(status).send({ error: (error as Error).message, requestId: request.id });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ error: 'Internal error', requestId: request.id });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.post('/v1/tenants', async (request, reply) => {
    requireAdmin(services.config.adminApiKey, request);
    const body = validate(createTenantBody, request.body, 'tenant');
    return reply.status(201).send(await createTenantWithKey(prisma, body));
  });

  app.post('/v1/ingestions', async (request, reply) => {
    const tenantId = await requestTenant(prisma, request);
    const body = validate(startIngestionBody, request.body, 'ingestion request');
    const started = await startIngestion({ prisma, ingestion }, tenantId, body);
    return reply.status(202).send(started);
  });

  app.get<{ Params: { workflowId: string } }>('/v1/ingestions/:workflowId', async (request) => {
    const tenantId = await requestTenant(prisma, request);
    return getIngestionStatus({ prisma, ingestion }, tenantId, request.params.workflowId);
  });

  app.post('/v1/context', async (request) => {
    const tenantId = await requestTenant(prisma, request);
    const body = validate(contextRequestBody, request.body, 'context request');
    const userId = await findUser(prisma, tenantId, body.user);
    return buildContext(
      { prisma, vectors: services.vectors, embedder: services.embedder },
      { tenantId, userId, ...body },
    );
  });

  app.get<{ Params: { documentId: string } }>(
    '/v1/documents/:documentId/decisions',
    async (request) => {
      const tenantId = await requestTenant(prisma, request);
      const { documentId } = request.params;
      // Not a UUID cannot be a document: answered like one of another tenant.
      if (!z.uuid().safeParse(documentId).success) {
        throw new NotFoundError(`document ${documentId} not found`);
      }
      return listDocumentDecisions(prisma, tenantId, documentId);
    },
  );

  // Forgetting waits for the workflow and answers with its verified report.
  app.delete<{ Params: { sourceId: string }; Querystring: { user?: string } }>(
    '/v1/sources/:sourceId',
    async (request) => {
      const tenantId = await requestTenant(prisma, request);
      const { sourceId } = request.params;
      return forgetSource({ prisma, ingestion }, tenantId, sourceId, request.query.user);
    },
  );

  app.delete<{ Params: { user: string } }>('/v1/users/:user', async (request) => {
    const tenantId = await requestTenant(prisma, request);
    return forgetUser({ prisma, ingestion }, tenantId, request.params.user);
  });

  return app;
}
