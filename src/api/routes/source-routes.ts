import { z } from 'zod';
import { listSourceDocuments } from '../../ingest/document-status.ts';
import {
  findSource,
  listSources,
  saveSource,
  sourceView,
  startSourceIngestion,
  updateSource,
} from '../../source-admin/source-service.ts';
import { sourceKindNames } from '../../sources/source-kinds.ts';
import type { ApiApp, ApiDeps } from '../api-app.ts';
import { callerOf } from '../authenticate.ts';

/** Encodes again from the raw store without reading the source, so changed settings apply. */
export const reencodeFlag = z
  .boolean()
  .optional()
  .describe('Encode what the source holds again from the raw store, without reading the source');

export const sourceKindSchema = z.enum(sourceKindNames as [string, ...string[]]);
export const sourceNameSchema = z.string().min(1).max(200);
export const sourceSettingsSchema = z.record(z.string(), z.unknown());
const externalUser = z.string().min(1).max(320);

const sourceParams = z.object({ sourceId: z.string().max(100) });

const saveSourceBody = z.object({
  user: externalUser,
  kind: sourceKindSchema,
  name: sourceNameSchema,
  settings: sourceSettingsSchema.default({}),
  inbox: z.boolean().optional(),
});

const updateSourceBody = z
  .object({ name: sourceNameSchema.optional(), settings: sourceSettingsSchema.optional() })
  .refine((body) => body.name !== undefined || body.settings !== undefined, {
    message: 'give name, settings or both',
  });

const sourceResponse = z.object({
  id: z.string(),
  user: z.string(),
  kind: z.string(),
  name: z.string(),
  inbox: z.boolean(),
  settings: z.record(z.string(), z.unknown()),
  createdAt: z.date(),
  updatedAt: z.date(),
});

const startedResponse = z.object({
  workflowId: z.string(),
  userId: z.string(),
  sourceId: z.string(),
});

const documentStatuses = ['pending', 'ingested', 'duplicate', 'failed', 'deleted'] as const;

export function registerSourceRoutes(app: ApiApp, { services, ingestion }: ApiDeps): void {
  const prisma = services.metadata.prisma;
  const { dataDir, sourceRoots } = services.config;
  const policy = { dataDir, sourceRoots };

  app.post(
    '/v1/sources',
    {
      config: { access: 'tenant' },
      schema: {
        tags: ['sources'],
        summary:
          "Create or update a user's source (by name) without starting it; `inbox: true` makes an upload inbox",
        body: saveSourceBody,
        response: { 200: sourceResponse },
      },
    },
    async (request) => {
      const source = await saveSource(prisma, policy, callerOf(request).tenantId, request.body);
      return sourceView(source, dataDir);
    },
  );

  app.get(
    '/v1/sources',
    {
      config: { access: 'tenant' },
      schema: {
        tags: ['sources'],
        summary: "The tenant's sources, or one user's",
        querystring: z.object({ user: externalUser.optional() }),
        response: { 200: z.object({ sources: z.array(sourceResponse) }) },
      },
    },
    async (request) => {
      const sources = await listSources(prisma, callerOf(request).tenantId, request.query.user);
      return { sources: sources.map((source) => sourceView(source, dataDir)) };
    },
  );

  app.get(
    '/v1/sources/:sourceId',
    {
      config: { access: 'tenant' },
      schema: {
        tags: ['sources'],
        summary: 'One source',
        params: sourceParams,
        response: { 200: sourceResponse },
      },
    },
    async (request) =>
      sourceView(
        await findSource(prisma, callerOf(request).tenantId, request.params.sourceId),
        dataDir,
      ),
  );

  app.patch(
    '/v1/sources/:sourceId',
    {
      config: { access: 'tenant' },
      schema: {
        tags: ['sources'],
        summary: 'Rename a source or replace its settings (checked as on creation)',
        params: sourceParams,
        body: updateSourceBody,
        response: { 200: sourceResponse },
      },
    },
    async (request) => {
      const source = await updateSource(
        prisma,
        policy,
        callerOf(request).tenantId,
        request.params.sourceId,
        request.body,
      );
      return sourceView(source, dataDir);
    },
  );

  app.post(
    '/v1/sources/:sourceId/ingestions',
    {
      config: { access: 'tenant' },
      schema: {
        tags: ['sources'],
        summary: "Start the source's ingestion (or re-encoding), or join the one running",
        params: sourceParams,
        body: z.object({ reencode: reencodeFlag }).nullish(),
        response: { 202: startedResponse },
      },
    },
    async (request, reply) => {
      const started = await startSourceIngestion(
        { prisma, ingestion },
        callerOf(request).tenantId,
        request.params.sourceId,
        request.body?.reencode ? 'reencode' : 'sync',
      );
      return reply.status(202).send(started);
    },
  );

  app.get(
    '/v1/sources/:sourceId/documents',
    {
      config: { access: 'tenant' },
      schema: {
        tags: ['sources', 'documents'],
        summary: "A page of the source's documents with their status, in id order",
        params: sourceParams,
        querystring: z.object({
          status: z.enum(documentStatuses).optional(),
          cursor: z.uuid().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
    },
    async (request) =>
      listSourceDocuments(
        prisma,
        callerOf(request).tenantId,
        request.params.sourceId,
        request.query,
      ),
  );
}
